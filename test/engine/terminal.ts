import {execFileSync, spawnSync} from 'node:child_process';
import {
	readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';

/**
A real terminal for the built CLI: a tmux server of its own (its own socket, no status line, the pane
kept after the process exits so its exit status and last screen can be read).
*/
export class Terminal {
	readonly socket = `baleen-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	readonly #config: string;

	constructor(readonly dir: string, command: string, {width = 100, height = 30} = {}) {
		this.#config = path.join(dir, '.tmux.conf');
		writeFileSync(this.#config, 'set -g remain-on-exit on\nset -g status off\n');
		// CI=false: Ink draws only a final frame when it thinks it runs in CI, and this test is about the live view.
		// The shell ignores Ctrl-C (the CLI still gets it: it sets its own handler) so that it lives to write the
		// exit status: tmux, started from a test runner, does not always reap its pane's process to tell it.
		this.#tmux('-f', this.#config, 'new-session', '-d', '-x', String(width), '-y', String(height), '-c', dir,
			`trap "" INT; CI=false ${command}; echo $? > .exit-status`);
		// Everything written to the terminal, for what the screen no longer shows (a notice later erased).
		this.#tmux('pipe-pane', '-o', `cat > '${path.join(dir, '.terminal.log')}'`);
	}

	/** Every byte the CLI wrote to the terminal so far. */
	written(): string {
		try {
			return readFileSync(path.join(this.dir, '.terminal.log'), 'utf8');
		} catch {
			return '';
		}
	}

	#tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** The screen with its scrollback, less tmux's own "Pane is dead" note (which scrolls the screen by a line). */
	screen(): string {
		return this.#tmux('capture-pane', '-p', '-J', '-S', '-').replace(/\n*Pane is dead \(.*\)\n*$/, '').replace(/\n+$/, '');
	}

	/** The CLI's process: the child of the pane's shell, once it has started. */
	pid(): number | undefined {
		const shell = this.#tmux('display', '-p', '#{pane_pid}').trim();
		const child = spawnSync('ps', ['-o', 'pid=', '--ppid', shell], {encoding: 'utf8'}).stdout.trim().split('\n')[0];
		return child ? Number(child) : undefined;
	}

	/** The exit status once the CLI has exited, else undefined. */
	exitStatus(): number | undefined {
		try {
			const text = readFileSync(path.join(this.dir, '.exit-status'), 'utf8');
			return text.endsWith('\n') ? Number(text) : undefined;
		} catch {
			return undefined;
		}
	}

	/** The screen as it shows now, without the scrollback. */
	visible(): string {
		return this.#tmux('capture-pane', '-p').replace(/\n*Pane is dead \(.*\)\n*$/, '').replace(/\n+$/, '');
	}

	resize(width: number, height: number): void {
		this.#tmux('resize-window', '-x', String(width), '-y', String(height));
	}

	keys(...keys: string[]): void {
		this.#tmux('send-keys', ...keys);
	}

	close(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
		rmSync(path.join(tmpdir(), `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
	}

	/** For a failure message: the screen, tmux's view of the pane and the state of its process. */
	describe(): string {
		const pane = spawnSync('tmux', ['-L', this.socket, 'display', '-p', '#{pane_dead} #{pane_dead_status} #{pane_pid}'], {encoding: 'utf8'}).stdout;
		const pid = pane.trim().split(' ').at(-1) ?? '';
		const ps = spawnSync('ps', ['-o', 'pid,stat,etime,cmd', '-p', pid], {encoding: 'utf8'}).stdout;
		return `${this.screen()}\n[pane: ${pane.trim()}]\n${ps}`;
	}
}

/** Removes what a CLI process left on the engine: only containers it labelled as its own. */
export function removeContainersOf(pid: number): void {
	const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=baleen.owner=${hostname()}:${pid}`], {encoding: 'utf8'}).split('\n').filter(Boolean);
	if (ids.length > 0) {
		spawnSync('docker', ['rm', '-f', ...ids]);
	}
}

export function removeDir(dir: string): void {
	rmSync(dir, {recursive: true, force: true});
}
