/**
What a bench holds while it runs (temp folders, child processes, engine containers through what it
defers), given back on every exit path: the end, a failure, Ctrl-C.
*/
import {type ChildProcess, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

/** What a bench holds while it runs; `close` releases it in reverse order, at most once. */
export type Session = {
	/** A value for the `baleen.bench` label of everything this run makes on the engine. */
	id: string;
	/** Aborted when the bench is closing: work in this process stops taking more. */
	signal: AbortSignal;
	defer: (release: () => unknown) => void;
	/** A fresh folder, removed on close, holding `files` (name → content). */
	folder: (files: Record<string, string>) => string;
	/** Runs `command` under `sh -c` in `cwd`; rejects on a non-zero exit with the end of its stderr. */
	sh: (command: string, options?: {cwd?: string}) => Promise<void>;
	close: () => Promise<void>;
};

export function session(): Session {
	const releases: Array<() => unknown> = [];
	const children = new Set<ChildProcess>();
	const abort = new AbortController();
	let closing: Promise<void> | undefined;

	const close = async () => {
		closing ??= (async () => {
			abort.abort();
			// Each child leads a process group of its own, so it gets this one SIGINT, not also the terminal's.
			for (const child of children) {
				try {
					process.kill(-child.pid!, 'SIGINT');
				} catch {
					// Ended meanwhile.
				}
			}

			await Promise.all([...children].map(async child => new Promise(resolve => {
				child.once('close', resolve);
			})));
			for (const release of releases.reverse()) {
				try {
					// eslint-disable-next-line no-await-in-loop
					await release();
				} catch (error) {
					console.error(`cleanup: ${(error as Error).message}`);
				}
			}
		})();
		return closing;
	};

	return {
		id: randomBytes(4).toString('hex'),
		signal: abort.signal,
		defer(release) {
			releases.push(release);
		},
		folder(files) {
			const dir = mkdtempSync(path.join(tmpdir(), 'baleen-bench-'));
			releases.push(() => {
				rmSync(dir, {recursive: true, force: true});
			});
			for (const [name, content] of Object.entries(files)) {
				writeFileSync(path.join(dir, name), content);
			}

			return dir;
		},
		async sh(command, {cwd} = {}) {
			if (closing) {
				throw new Error('cancelled');
			}

			return new Promise((resolve, reject) => {
				const child = spawn('sh', ['-c', command], {cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: true});
				children.add(child);
				let stderr = '';
				child.stderr.on('data', (chunk: Buffer) => {
					stderr = (stderr + chunk.toString()).slice(-2000);
				});
				child.on('error', reject);
				child.on('close', code => {
					children.delete(child);
					if (code === 0) {
						resolve();
					} else {
						reject(new Error(`${command}\nexited ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
					}
				});
			});
		},
		close,
	};
}
