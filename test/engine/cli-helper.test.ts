import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {
	leftovers, runGone, runStart, shellArgs, start, type Running,
} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

// The helpers every engine test waits with: a wait that cannot end would hang a test for its whole timeout.

test('until() and untilStderr() reject as soon as the CLI exits before what they wait for, with its exit code and the end of its stderr', async () => {
	const running = start(['*.sh', '--bail', '0']);
	await assert.rejects(running.until(events => events.some(event => event.type === 'run-end')), /^Error: baleen exited with code 2 before the event awaited came; its stderr ended:\n.*--bail takes a whole number/s);
	await assert.rejects(running.untilStderr(/never said/), /exited with code 2 before its stderr matched \/never said\//);
	assert.equal((await running.done).code, 2);
	// What already came is no wait, even after the exit.
	assert.deepEqual(await running.until(events => events.length === 0), []);
});

test('a test that ends while its CLI still runs ends it, by pid, and the reaper removes what the run made and leaves', async t => {
	const directory = folder({'a.sh': 'sleep 60\n', 'b.sh': 'sleep 60\n'});
	let running: Running | undefined;
	let runId = '';
	await t.test('starts a run and leaves it running', async () => {
		running = start(shellArgs(directory, '-j', '2'), {cwd: directory});
		runId = runStart(await running.until(events => events.filter(event => event.type === 'test-start').length === 2)).runId;
	});
	const {code, stdout} = await running!.done;
	assert.deepEqual([code, running!.child.signalCode], [null, 'SIGKILL']);
	assert.doesNotMatch(stdout, /"run-end"/);
	// The cleanup waited for the reaper: the only process whose command line names the run.
	assert.equal(execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).split('\n').filter(line => line.includes('reaper/watch.js') && line.includes(runId)).length, 0);
	await runGone(runId);
	assert.deepEqual(leftovers(runId), []);
});
