import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {baleen, leftovers, runStart, shellArgs, start, testEnds, type Running} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';

/** The files whose containers the run has made and not started: the ones made ahead. */
const madeAhead = (runId: string) => execFileSync('docker', [
	'ps', '-a', '--filter', `label=baleen.run=${runId}`, '--filter', 'status=created', '--format', '{{.Label "baleen.file"}}',
], {encoding: 'utf8'}).split('\n').filter(Boolean);

const statuses = (events: Parameters<typeof testEnds>[0]) => Object.fromEntries(testEnds(events).map(end => [end.file, end.status]));

/** A run of one slot whose first file sleeps, once the second file's container is made ahead. */
async function aheadOfSleeper(directory: string, ...extra: string[]): Promise<{running: Running; runId: string}> {
	const running = start(shellArgs(directory, '-j', '1', ...extra), {cwd: directory});
	const events = await running.until(events => events.some(event => event.type === 'test-start'));
	const {runId} = runStart(events);
	await until(() => madeAhead(runId).includes('b.sh'), 'b.sh made ahead while a.sh runs', 30_000);
	return {running, runId};
}

test('while a slot\'s file runs, its next file\'s container is made; a pass, a failure and a timeout leave nothing', async () => {
	const directory = folder({'a.sh': 'sleep 2; echo ok\n', 'b.sh': 'exit 3\n', 'c.sh': 'sleep 60\n', 'd.sh': 'true\n'});
	const {running, runId} = await aheadOfSleeper(directory, '--timeout', '3');
	const {code, events} = await running.done;
	assert.equal(code, 1);
	assert.deepEqual(statuses(events), {'a.sh': 'passed', 'b.sh': 'failed', 'c.sh': 'timed-out', 'd.sh': 'passed'});
	assert.deepEqual(leftovers(runId), []);
});

test('Ctrl-C with a container made ahead: every file cancelled, nothing left', async () => {
	const directory = folder({'a.sh': 'sleep 60\n', 'b.sh': 'true\n', 'c.sh': 'true\n'});
	const {running, runId} = await aheadOfSleeper(directory);
	running.child.kill('SIGINT');
	const {code, events} = await running.done;
	assert.equal(code, 130);
	assert.deepEqual(statuses(events), {'a.sh': 'cancelled', 'b.sh': 'cancelled', 'c.sh': 'cancelled'});
	assert.deepEqual(leftovers(runId), []);
});

test('a forced stop (a second Ctrl-C) with a container made ahead leaves nothing', async () => {
	const directory = folder({'a.sh': 'sleep 60\n', 'b.sh': 'true\n', 'c.sh': 'true\n'});
	const {running, runId} = await aheadOfSleeper(directory);
	running.child.kill('SIGINT');
	running.child.kill('SIGINT');
	const {code} = await running.done;
	assert.equal(code, 130);
	assert.deepEqual(leftovers(runId), []);
});

test('an engine error on every file (start fails) with containers made ahead: each ends as error, nothing left', async () => {
	// The workdir is a file: every container is made, and fails to start.
	const directory = folder({'a.sh': 'true\n', 'b.sh': 'true\n', 'c.sh': 'true\n'});
	const {code, events} = await baleen(['*.sh', '-i', 'baleen-test-shell', '-m', `${directory}:/suite`, '-w', '/suite/a.sh', '-c', 'sh {file}', '--json', '-j', '1'], {cwd: directory});
	assert.equal(code, 1);
	assert.deepEqual(statuses(events), {'a.sh': 'error', 'b.sh': 'error', 'c.sh': 'error'});
	assert.deepEqual(leftovers(runStart(events).runId), []);
});
