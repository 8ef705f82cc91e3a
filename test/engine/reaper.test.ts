import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {readFileSync, readdirSync} from 'node:fs';
import {test} from 'node:test';
import type {RunEvent} from '../../source/events.js';
import {leftovers, runStart, shellArgs, start} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';

const started = (count: number) => (events: RunEvent[]) => events.filter(event => event.type === 'test-start').length >= count;
const onEngine = (runId: string) => execFileSync('docker', ['ps', '-aq', '--filter', `label=baleen.run=${runId}`], {encoding: 'utf8'}).split('\n').filter(Boolean);


for (const [what, detached] of [['baleen', false], ['baleen\'s whole process group', true]] as const) {
	test(`kill -9 of ${what} mid-run: the reaper removes every container of the run`, async () => {
		const directory = folder({'a.sh': 'sleep 60\n', 'b.sh': 'sleep 60\n', 'c.sh': 'sleep 60\n'});
		const running = start(shellArgs(directory, '-j', '2'), {cwd: directory, detached});
		const events = await running.until(started(2));
		const runId = runStart(events)!.runId;
		// Two files' containers and their slots' two network holders; the third file's may be made ahead already.
		const before = onEngine(runId).length;
		assert.ok(before >= 4 && before <= 5, `${before} containers of the run before the kill`);
		process.kill(detached ? -running.child.pid! : running.child.pid!, 'SIGKILL');
		await running.done;
		// The bound docs/cleanup.md promises is 5 s on a local engine; the margin is for a loaded CI machine.
		const killed = Date.now();
		await until(() => onEngine(runId).length === 0, `the containers of run ${runId} to go after kill -9`, 20_000);
		console.log(`reaper: the run's containers were gone ${Date.now() - killed} ms after kill -9 (${what})`);
		assert.deepEqual(leftovers(runId), []);
	});
}

test('after a normal run the reaper leaves too, and nothing of the run is left', async () => {
	const directory = folder({'ok.sh': 'true\n'});
	const running = start(shellArgs(directory), {cwd: directory});
	const {code, events} = await running.done;
	assert.equal(code, 0);
	const runId = runStart(events)!.runId;
	// The reaper is the only process whose command line names the run; it ends after one look at the engine.
	const reapers = () => execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).split('\n').filter(line => line.includes('reaper/watch.js') && line.includes(runId));
	await until(() => reapers().length === 0, 'the reaper of a finished run to exit', 5000);
	assert.deepEqual(leftovers(runId), []);
});

test('a run that fails before its first file (an engine that does not answer) lets its reaper go at once', async () => {
	// An engine address of this test's own: its reaper is the one whose environment names it, whatever other runs on the machine start.
	const nowhere = `unix:///nonexistent/${randomUUID()}/docker.sock`;
	const environs = () => readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).flatMap(pid => {
		try {
			return [readFileSync(`/proc/${pid}/environ`, 'utf8')];
		} catch {
			return [];
		}
	});
	const directory = folder({'ok.sh': 'true\n'});
	const {code} = await start(shellArgs(directory), {cwd: directory, env: {DOCKER_HOST: nowhere}}).done;
	assert.equal(code, 2);
	// Without the word that nothing was left, it would keep at the missing engine for 10 minutes.
	await until(() => !environs().some(environ => environ.split('\0').includes(`DOCKER_HOST=${nowhere}`)), 'the reaper of a run that never started to exit', 5000);
});
