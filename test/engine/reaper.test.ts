import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';
import {test} from 'node:test';
import type {RunEvent} from '../../source/events.js';
import {
	leftovers, runStart, shellArgs, start, suite,
} from '../helpers/cli.js';

const started = (count: number) => (events: RunEvent[]) => events.filter(event => event.type === 'test-start').length >= count;
const onEngine = (runId: string) => execFileSync('docker', ['ps', '-aq', '--filter', `label=baleen.run=${runId}`], {encoding: 'utf8'}).split('\n').filter(Boolean);

/** Milliseconds until the engine holds nothing of the run, looking every 100 ms for at most `limitMs`. */
async function goneWithin(runId: string, limitMs: number): Promise<number> {
	const begun = Date.now();
	while (Date.now() - begun < limitMs) {
		if (onEngine(runId).length === 0) {
			return Date.now() - begun;
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(100);
	}

	return Number.POSITIVE_INFINITY;
}

for (const [what, detached] of [['baleen', false], ['baleen\'s whole process group', true]] as const) {
	test(`kill -9 of ${what} mid-run: the reaper removes every container of the run`, async () => {
		const directory = suite({'a.sh': 'sleep 60\n', 'b.sh': 'sleep 60\n', 'c.sh': 'sleep 60\n'});
		const running = start(shellArgs(directory, '-j', '2'), {cwd: directory, detached});
		const events = await running.until(started(2));
		const runId = runStart(events)!.runId;
		assert.equal(onEngine(runId).length, 4, 'two files\' containers and their slots\' two network holders before the kill');
		process.kill(detached ? -running.child.pid! : running.child.pid!, 'SIGKILL');
		await running.done;
		// The bound the readme promises is 5 s on a local engine; the margin is for a loaded CI machine.
		const ms = await goneWithin(runId, 20_000);
		console.log(`reaper: the run's containers were gone ${ms} ms after kill -9 (${what})`);
		assert.ok(Number.isFinite(ms), `containers of run ${runId} still on the engine 20 s after kill -9`);
		assert.deepEqual(leftovers(runId), []);
	});
}

test('after a normal run the reaper leaves too, and nothing of the run is left', async () => {
	const directory = suite({'ok.sh': 'true\n'});
	const running = start(shellArgs(directory), {cwd: directory});
	const {code, events} = await running.done;
	assert.equal(code, 0);
	const runId = runStart(events)!.runId;
	// The reaper is the only process whose command line names the run; it ends after one look at the engine.
	let reapers = 1;
	for (let look = 0; look < 50 && reapers > 0; look++) {
		reapers = execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).split('\n').filter(line => line.includes('reaper/watch.js') && line.includes(runId)).length;
		// eslint-disable-next-line no-await-in-loop
		await sleep(100);
	}

	assert.equal(reapers, 0, 'the reaper of a finished run has exited');
	assert.deepEqual(leftovers(runId), []);
});
