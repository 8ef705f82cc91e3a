import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {test} from 'node:test';
import type {RunEvent} from '../../source/events.js';
import {leftovers, runEnd, runStart, shellArgs, start, testEnds} from '../helpers/cli.js';
import {privateEngine} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';

// The engine the freezing tests stop (SIGSTOP): one of their own, since freezing the machine's would stall every other
// run on it (another run of the suite, a developer's).
const frozen = privateEngine('frozen', 55);
const frozenEnv = () => ({DOCKER_HOST: frozen().host});
const leftOnFrozen = (runId: string) => frozen().containersOf(runId);
const escaped = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The run's network holders on the engine now. */
const holders = (runId: string | undefined) => execFileSync('docker', ['ps', '-aq', '--filter', `label=baleen.run=${runId}`, '--filter', 'label=baleen.role=holder'], {encoding: 'utf8'}).trim();

/** Files that say they are sleeping, leave a mark beside themselves (`sh FILE`: $0 is the file), then sleep. */
const sleepers = (count: number) => folder(Object.fromEntries(Array.from({length: count}, (_, index) => [`sleep-${index}.sh`, 'echo sleeping; : > "$0.awake"; sleep 300\n'])));
const awake = (directory: string) => readdirSync(directory).filter(name => name.endsWith('.awake')).length;
const started = (count: number) => (events: RunEvent[]) => events.filter(event => event.type === 'test-start').length >= count;

for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
	test(`${signal} mid-run: running files end cancelled, the rest never start, run-end still comes, exit ${exitCode}`, async () => {
		const directory = sleepers(5);
		const running = start(shellArgs(directory, '-j', '2'), {cwd: directory});
		const before = await running.until(started(2));
		// test-start comes before the shell has run a line: wait for both to have printed before the signal.
		await until(() => awake(directory) >= 2, 'both files to print', 30_000);
		assert.notEqual(holders(runStart(before)?.runId), '', 'the slots hold their namespaces while files run');
		running.child.kill(signal);
		const {code, events, stderr} = await running.done;

		assert.equal(code, exitCode);
		assert.match(stderr, /cancelling/);
		const ends = testEnds(events);
		assert.equal(ends.length, 5, 'every file is reported once');
		assert.ok(ends.every(end => end.status === 'cancelled'));
		assert.equal(events.filter(event => event.type === 'test-start').length, 2, 'no file is handed out after the signal');
		assert.deepEqual(ends.filter(end => end.containerId).map(end => end.stdout), ['sleeping\n', 'sleeping\n'], 'output read until the kill is kept');
		assert.deepEqual(runEnd(events)?.summary, {total: 5, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 5});
		assert.equal(runEnd(events)?.exitCode, exitCode);
		assert.deepEqual(leftovers(runStart(events)?.runId), []);
	});
}

test('a second Ctrl-C forces: baleen removes what is left at once and exits 130', async () => {
	const directory = sleepers(3);
	const running = start(shellArgs(directory, '-j', '3'), {cwd: directory});
	const events = await running.until(started(3));
	assert.notEqual(holders(runStart(events)?.runId), '', 'the slots hold their namespaces while files run');
	running.child.kill('SIGINT');
	await running.untilStderr(/cancelling/);
	running.child.kill('SIGINT');
	const {code, stderr} = await running.done;
	assert.equal(code, 130);
	assert.match(stderr, /forced/);
	assert.deepEqual(leftovers(runStart(events)?.runId), []);
});

test('a closed terminal (SIGHUP): everything of the run is removed at once, exit 129', async () => {
	const directory = sleepers(3);
	const running = start(shellArgs(directory, '-j', '2'), {cwd: directory});
	const events = await running.until(started(2));
	running.child.kill('SIGHUP');
	const {code} = await running.done;
	assert.equal(code, 129);
	assert.deepEqual(leftovers(runStart(events)?.runId), []);
});

test('a reader that goes away (`| head -1`): baleen cleans up instead of crashing, exit 141', async () => {
	// Files that keep ending, so that baleen has lines to write after the reader is gone.
	const directory = folder(Object.fromEntries(Array.from({length: 10}, (_, index) => [`nap-${index}.sh`, 'sleep 1\n'])));
	const running = start(shellArgs(directory, '-j', '2'), {cwd: directory});
	const events = await running.until(events => events.some(event => event.type === 'run-start'));
	running.child.stdout!.destroy();
	const {code, stderr} = await running.done;
	assert.equal(code, 141, stderr);
	assert.doesNotMatch(stderr, /EPIPE|\n\s+at /, 'no stack trace');
	assert.deepEqual(leftovers(runStart(events)?.runId), []);
});

test('an engine that stops answering mid-run: the file ends as an error naming the engine and the call, and the run still ends', async () => {
	const directory = sleepers(1);
	// Deadlines of 10 s (BALEEN_CALL_TIMEOUT): short, yet above what a loaded machine takes to start a
	// container (2 s was not: a slot's holder, started before the freeze, ran out of it); and a file
	// timeout of 2 s to set the kill going.
	const running = start(shellArgs(directory, '--timeout', '2'), {cwd: directory, env: {...frozenEnv(), BALEEN_CALL_TIMEOUT: '10'}});
	const events = await running.until(started(1));
	await until(() => awake(directory) >= 1, 'the file to run', 30_000);
	frozen().freeze();
	try {
		const {code, events: all} = await running.done;
		assert.equal(code, 1);
		const [end] = testEnds(all);
		assert.equal(end?.status, 'error');
		// The call that hangs depends on where the freeze found the container: its start's answer may still be under way.
		assert.match(end?.error ?? '', new RegExp(`^the Docker engine at ${escaped(frozen().host)} did not answer (a container start|the end of the container it was told to kill) within 10 s$`));
		assert.equal(runEnd(all)?.exitCode, 1);
	} finally {
		frozen().thaw();
	}

	await until(() => leftOnFrozen(runStart(events).runId).length === 0, 'the thawed engine to remove the run\'s containers', 10_000);
});

test('an engine that stops answering: Ctrl-C still ends baleen, forcing after a while, exit 130', async () => {
	const directory = sleepers(2);
	const running = start(shellArgs(directory, '-j', '2'), {cwd: directory, env: frozenEnv()});
	const events = await running.until(started(2));
	// Frozen, as the libnetwork deadlock of Docker 20.10 leaves it: no call is answered.
	frozen().freeze();
	try {
		running.child.kill('SIGINT');
		const {code, stderr} = await running.done;
		assert.equal(code, 130);
		assert.match(stderr, /cancelling/);
		assert.match(stderr, /forced/);
	} finally {
		frozen().thaw();
	}

	// The engine could remove nothing while frozen: what is left goes now, by the run's label.
	await until(() => leftOnFrozen(runStart(events).runId).length === 0, 'the thawed engine to remove the run\'s containers', 10_000);
});
