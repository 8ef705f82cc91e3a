import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {cliPath} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';
import {Terminal, removeContainersOf, removeDir} from './terminal.js';

const image = 'baleen-test-shell';
const flags = `-i ${image} -m .:/w -w /w -c 'sh {file}' -j 2`;

describe('the terminal view, under a real pseudo-terminal and a real engine', () => {
	const cleanups: Array<() => void> = [];
	after(() => {
		for (const cleanup of cleanups.reverse()) {
			cleanup();
		}
	});

	function terminal(files: Record<string, string>, command: string): Terminal {
		const dir = folder(files);
		const term = new Terminal(dir, command);
		let pid: number | undefined;
		void until(() => term.pid(), 'the CLI to start', 10_000).then(found => {
			pid = found;
		}, () => undefined);
		cleanups.push(() => {
			term.close();
			if (pid) {
				removeContainersOf(pid);
			}

			removeDir(dir);
		});
		return term;
	}

	for (const isolate of ['', ' --isolate slot']) {
		it(`ends with the finished files, the summary and the failure's output on screen${isolate && ` (${isolate.trim()}: the files run in their slots' containers)`}`, async () => {
			const term = terminal({
				'pass.sh': 'echo ok\n',
				'fail.sh': 'echo "expected 2"\necho "got 3" >&2\nexit 3\n',
			}, `node ${cliPath} '*.sh' ${flags}${isolate}`);
			const status = await until(() => term.exitStatus(), 'the CLI to exit', 60_000, () => term.describe());
			const screen = term.screen();
			assert.equal(status, 1, screen);
			const lines = screen.split('\n');
			assert.match(lines[0]!, /^baleen 2 files in baleen-test-shell, 2 at once \(.+\)$/);
			const results = lines.slice(1, 3).sort();
			assert.match(results[0]!, /^✓ passed {4}pass\.sh \(\d+(ms|\.\ds)\)$/);
			assert.match(results[1]!, /^✗ failed {4}fail\.sh \(exit 3, \d+(ms|\.\ds)\)$/);
			assert.deepEqual(lines.slice(3, 5).map(line => line.replace(/\d+(\.\d)?(ms|s)/g, 'T').replace(/\d\.\dx/, 'Nx')), [
				'',
				'Fail: 1 passed, 1 failed of 2 files',
			]);
			assert.match(lines[5]!, /^Time: \S+ \(files took \S+ in all, \d+\.\dx from running in parallel\)$/);
			assert.deepEqual(lines.slice(6, 12), [
				'',
				'── fail.sh: failed, exit code 3',
				'  stdout:',
				'    expected 2',
				'  stderr:',
				'    got 3',
			]);
			// The live rows and the progress bar are gone: nothing after the failure's output.
			assert.equal(lines.slice(12).join('\n').trim(), '');
		});
	}

	for (const isolate of ['', ' --isolate slot']) {
		it(`shows that Ctrl-C is cancelling, then the partial summary, and exits 130${isolate && ` (${isolate.trim()}: a running file's row and its output line from its slot's container)`}`, async () => {
			const term = terminal({
				'quick.sh': 'echo ok\n',
				'slow.sh': 'echo "waiting for ever"\nsleep 60\n',
			}, `node ${cliPath} '*.sh' ${flags}${isolate}`);
			// The running row of slow.sh, with its last output line.
			// quick.sh done, and the running row of slow.sh with its last output line.
			await until(() => {
				const screen = term.screen();
				return /^✓ passed {4}quick\.sh/m.test(screen) && / slow\.sh .*waiting for ever/.test(screen);
			}, 'quick.sh to pass and slow.sh to be shown running', 60_000, () => term.describe());
			term.keys('C-c');
			const status = await until(() => term.exitStatus(), 'the CLI to exit', 60_000, () => term.describe());
			const screen = term.screen();
			assert.equal(status, 130, screen);
			// Shown while the containers stop, then erased with the live rows: the terminal's record still has it.
			// (tmux hands the record over a pipe, which may lag the exit a little.)
			await until(() => term.written().includes('Ctrl-C: cancelling… (Ctrl-C again to force)'), 'the cancel notice in the terminal\'s record', 10_000, () => JSON.stringify(term.written().slice(-3000)));
			assert.match(screen, /^- cancelled slow\.sh \(.+\)$/m);
			assert.match(screen, /^Cancelled: 1 passed, 0 failed, 1 cancelled of 2 files$/m);
			assert.doesNotMatch(screen, /cancelling…/, 'the notice belongs to the live area, which is gone at the end');
		});
	}

	it('narrowing the terminal mid-run leaves no piece of a live frame on screen', async () => {
		// The demo suite's files: two running rows with long output lines when the window narrows.
		const demo = path.join(import.meta.dirname, '../fixtures/demo-suite');
		const files = Object.fromEntries(readdirSync(demo).map(name => [name, readFileSync(path.join(demo, name), 'utf8')]));
		const term = terminal(files, `node ${cliPath} '*.sh' ${flags}`);
		await until(() => (term.screen().match(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*\s{2}\S.*\s{2}\S/gm) ?? []).length === 2,
			'two running files, each with its output line', 60_000, () => term.describe());
		term.resize(40, 30);
		const status = await until(() => term.exitStatus(), 'the CLI to exit', 60_000, () => term.describe());
		assert.equal(status, 1, term.describe());
		const screen = term.visible();
		assert.match(screen, /^Fail: 6 passed, 1 failed of 7 files$/m);
		assert.doesNotMatch(screen, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏░█]/, `no spinner or bar left behind:\n${screen}`);
	});

	it('logs on stderr when stdout is piped, and stdout stays valid JSON lines', async () => {
		const term = terminal({
			'pass.sh': 'echo ok\n',
			'fail.sh': 'exit 4\n',
		}, `node ${cliPath} '*.sh' ${flags} > events.jsonl`);
		const status = await until(() => term.exitStatus(), 'the CLI to exit', 60_000, () => term.describe());
		const screen = term.screen();
		assert.equal(status, 1, screen);
		assert.match(screen, /^✗ failed {4}fail\.sh \(exit 4, \S+\)$/m);
		assert.match(screen, /^Fail: 1 passed, 1 failed of 2 files$/m);
		const text = readFileSync(path.join(term.dir, 'events.jsonl'), 'utf8');
		assert.ok(text.endsWith('\n'));
		const events = text.trimEnd().split('\n').map(line => JSON.parse(line) as {type: string; exitCode?: number; file?: string});
		assert.equal(events[0]?.type, 'run-start');
		assert.equal(events.at(-1)?.type, 'run-end');
		assert.equal(events.at(-1)?.exitCode, 1);
		assert.deepEqual(events.filter(event => event.type === 'test-end').map(event => event.file).sort(), ['fail.sh', 'pass.sh']);
		assert.ok(!text.includes('\u001B'), 'no terminal escapes in the JSON lines');
	});
	it('with stdout piped to jq on the same terminal, erases none of jq\'s lines and leaves no live row behind', async () => {
		const files = Object.fromEntries(Array.from({length: 8}, (_, index) => [`f${index}.sh`, `echo working on ${index}\nsleep 1\n`]));
		const term = terminal(files, `node ${cliPath} '*.sh' ${flags} | jq -c 'select(.type == "test-end") | {jq: .file, status}'`);
		const status = await until(() => term.exitStatus(), 'the pipeline to exit', 90_000, () => term.describe());
		const screen = term.screen();
		assert.equal(status, 0, screen);
		for (const file of Object.keys(files)) {
			assert.match(screen, new RegExp(`^\\{"jq":"${file.replace('.', '\\.')}","status":"passed"\\}$`, 'm'), `jq's line for ${file}:\n${screen}`);
			assert.match(screen, new RegExp(`^✓ passed {4}${file.replace('.', '\\.')} `, 'm'));
		}

		assert.match(screen, /^Pass: 8 passed, 0 failed of 8 files$/m);
		assert.doesNotMatch(screen, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏░█]/, `no spinner or bar on a terminal shared with jq:\n${screen}`);
		// Nothing moved the cursor up or erased a line: what else writes to the terminal stays.
		assert.doesNotMatch(term.written(), /\u001B\[(\d*A|2K|\d*J)/);
	});

	it('after Ctrl-C, gives a row to the files that were running and one line to those that never started', async () => {
		const files = Object.fromEntries(Array.from({length: 20}, (_, index) => [`s${String(index).padStart(2, '0')}.sh`, 'echo "waiting for ever"\nsleep 60\n']));
		const term = terminal(files, `node ${cliPath} '*.sh' ${flags}`);
		await until(() => (term.screen().match(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*waiting for ever/gm) ?? []).length === 2,
			'two running files', 60_000, () => term.describe());
		term.keys('C-c');
		const status = await until(() => term.exitStatus(), 'the CLI to exit', 60_000, () => term.describe());
		const screen = term.screen();
		assert.equal(status, 130, screen);
		assert.equal((screen.match(/^- cancelled /gm) ?? []).length, 2, screen);
		assert.match(screen, /^- 18 files not run$/m);
		assert.match(screen, /^Cancelled: 0 passed, 0 failed, 20 cancelled of 20 files$/m);
	});
});

describe('the CLI\'s help', () => {
	it('explains --quiet with an example', () => {
		const help = execFileSync('node', [cliPath, '--help'], {encoding: 'utf8'});
		assert.match(help, /--quiet, -q {10}Nothing on stderr but errors/);
		assert.match(help, /\$ baleen .* --quiet > events\.jsonl/);
	});
});
