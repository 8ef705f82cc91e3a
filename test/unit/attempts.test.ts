import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Subject, defer, of, timer, map} from 'rxjs';
import {schemaVersion, type RunEvent, type TestEnd, type TestResult, type TestRetry} from '../../source/events.js';
import {runsAgain, firstTurn, nextTurn, finalEvent} from '../../source/run/attempts.js';
import {runFiles} from '../../source/run/run.js';
import {testScheduler} from '../helpers/scheduler.js';

const result = (file: string, status: TestResult['status'], extra: Partial<TestResult> = {}): TestResult => ({
	file, status, exitCode: status === 'passed' ? 0 : 1, durationMs: 1, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, containerId: `${file}-c`, ...extra,
});
const end = (value: TestResult): RunEvent => ({schema: schemaVersion, type: 'test-end', ...value, attempts: 1});

/** Runs files whose attempts end as `script(file, attempt)` says, one frame each; what the run told, in order. */
function told(files: string[], slots: number, script: (file: string, attempt: number) => TestResult, options: Parameters<typeof runFiles>[3] = {}) {
	const events: RunEvent[] = [];
	const started: string[] = [];
	testScheduler().run(({flush}) => {
		runFiles(files, slots, (file, _slot, attempt) => defer(() => {
			started.push(`${file}#${attempt}`);
			return timer(1).pipe(map(() => end(script(file, attempt))));
		}), options).subscribe(event => events.push(event));
		flush();
	});
	const ends = events.filter((event): event is TestEnd => event.type === 'test-end');
	const retries = events.filter((event): event is TestRetry => event.type === 'test-retry');
	return {events, ends, retries, started};
}

test('a file that fails and then passes ends once, flaky, with the failed attempt told as a retry', () => {
	const {ends, retries, started} = told(['a', 'b'], 2, (file, attempt) => result(file, file === 'a' && attempt === 1 ? 'failed' : 'passed'), {policy: {retries: 2, lost: 3}});
	assert.deepEqual(started.toSorted(), ['a#1', 'a#2', 'b#1']);
	assert.deepEqual(retries.map(({file, attempt, maxAttempts, status}) => [file, attempt, maxAttempts, status]), [['a', 1, 3, 'failed']]);
	assert.deepEqual(ends.map(({file, status, attempts}) => [file, status, attempts]).toSorted(), [['a', 'flaky', 2], ['b', 'passed', 1]]);
	assert.deepEqual(ends.find(({file}) => file === 'a')?.earlier, [{status: 'failed', exitCode: 1, durationMs: 1}]);
});

test('a file that always fails runs 1 + retries times and ends failed; without retries it runs once', () => {
	const always = told(['a'], 1, file => result(file, 'failed'), {policy: {retries: 2, lost: 3}});
	assert.deepEqual(always.started, ['a#1', 'a#2', 'a#3']);
	assert.deepEqual(always.ends.map(({status, attempts, earlier}) => [status, attempts, earlier?.length]), [['failed', 3, 2]]);
	const once = told(['a'], 1, file => result(file, 'timed-out'));
	assert.deepEqual([once.started, once.retries.length, once.ends.length], [['a#1'], 0, 1]);
});

test('an attempt lost to the engine runs again without using a retry, and is not what makes a file flaky', () => {
	const {ends, started} = told(['a'], 1, (file, attempt) => (attempt === 1 ? result(file, 'error', {lost: true, error: 'engine gone'}) : result(file, 'passed')));
	assert.deepEqual(started, ['a#1', 'a#2']);
	assert.deepEqual(ends.map(({status, attempts, earlier}) => [status, attempts, earlier?.[0]?.lost]), [['passed', 2, true]]);
	// An engine that keeps going away is not waited for without end.
	const lostForGood = told(['a'], 1, file => result(file, 'error', {lost: true}), {policy: {retries: 0, lost: 2}});
	assert.deepEqual([lostForGood.started.length, lostForGood.ends[0]?.status], [3, 'error']);
});

test('--bail: after N failed files no new file starts; the rest end cancelled, never run', () => {
	const {ends, started} = told(['a', 'b', 'c', 'd'], 1, (file) => result(file, file === 'b' ? 'failed' : 'passed'), {bail: 1});
	assert.deepEqual(started, ['a#1', 'b#1']);
	assert.deepEqual(ends.map(({file, status, containerId}) => [file, status, containerId]), [['a', 'passed', 'a-c'], ['b', 'failed', 'b-c'], ['c', 'cancelled', undefined], ['d', 'cancelled', undefined]]);
});

test('--bail counts a file that timed out or errored as a failure, as one that failed: a hanging suite stops starting files', () => {
	for (const status of ['failed', 'timed-out', 'error'] as const) {
		const {ends, started} = told(['a', 'b', 'c'], 1, file => result(file, file === 'a' ? status : 'passed'), {bail: 1});
		assert.deepEqual(started, ['a#1'], `after a file ${status}`);
		assert.deepEqual(ends.map(({file, status}) => [file, status]), [['a', status], ['b', 'cancelled'], ['c', 'cancelled']]);
	}
});

test('a halt (a cancel) during an attempt: no retry, the file ends with that attempt; the files after it do not run', () => {
	const halt$ = new Subject<void>();
	const {ends, started} = told(['a', 'b'], 1, (file, attempt) => {
		if (file === 'a') {
			halt$.next(); // The cancel comes while a's first attempt runs.
		}

		return result(file, file === 'a' && attempt === 1 ? 'failed' : 'passed');
	}, {policy: {retries: 1, lost: 0}, halt$});
	assert.deepEqual(started, ['a#1']);
	assert.deepEqual(ends.map(({file, status, attempts}) => [file, status, attempts]), [['a', 'failed', 1], ['b', 'cancelled', 1]]);
});

test('thousands of files that end at once after a halt neither recurse nor get lost', () => {
	const files = Array.from({length: 20_000}, (_, index) => `f${index}`);
	const ends: string[] = [];
	runFiles(files, 4, file => of(end(result(file, 'failed'))), {bail: 1}).subscribe(event => {
		if (event.type === 'test-end') {
			ends.push(event.status);
		}
	});
	assert.equal(ends.length, files.length);
	// The first file fails before the second's turn comes: every other file ends without running.
	assert.equal(ends.filter(status => status === 'cancelled').length, files.length - 1);
});

test('runsAgain and finalEvent: passed and cancelled never run again; a pass after a lost attempt is not flaky', () => {
	const turn = firstTurn('a');
	assert.equal(runsAgain(result('a', 'passed'), turn, {retries: 5, lost: 5}), false);
	assert.equal(runsAgain(result('a', 'cancelled'), turn, {retries: 5, lost: 5}), false);
	assert.equal(runsAgain(result('a', 'failed'), turn, {retries: 0, lost: 5}), false);
	const lost = nextTurn(turn, result('a', 'error', {lost: true}));
	assert.equal(runsAgain(result('a', 'failed'), lost, {retries: 1, lost: 0}), true);
	assert.equal(finalEvent(lost, result('a', 'passed')).status, 'passed');
	assert.equal(finalEvent(nextTurn(turn, result('a', 'failed')), result('a', 'passed')).status, 'flaky');
});
