import assert from 'node:assert/strict';
import {test} from 'node:test';
import {schemaVersion, type RunEvent} from '../../source/events.js';
import {initialState, reduceState} from '../../source/run/state.js';
import {testEnd} from '../helpers/fixtures.js';


const events: RunEvent[] = [
	{schema: schemaVersion, type: 'run-start', runId: 'r', startedAt: '2026-01-01T00:00:00.000Z', total: 3, concurrency: 2, image: 'i', engine: 'e'},
	{schema: schemaVersion, type: 'test-start', file: 'a', containerId: 'ca', at: 1, attempt: 1, maxAttempts: 1},
	{schema: schemaVersion, type: 'test-start', file: 'b', containerId: 'cb', at: 2, attempt: 1, maxAttempts: 1},
	{schema: schemaVersion, type: 'test-output', file: 'b', stream: 'stdout', line: 'working'},
	testEnd('a', 'passed', 10, {stdout: 'a passed\n'}),
	{schema: schemaVersion, type: 'test-start', file: 'c', containerId: 'cc', at: 3, attempt: 1, maxAttempts: 1},
];

test('running files are tracked in start order with their last line', () => {
	const state = events.reduce(reduceState, initialState);
	assert.equal(state.start?.total, 3);
	assert.deepEqual(state.running, [
		{file: 'b', containerId: 'cb', startedAt: 2, lastLine: 'working', attempt: 1, maxAttempts: 1},
		{file: 'c', containerId: 'cc', startedAt: 3, attempt: 1, maxAttempts: 1},
	]);
	assert.equal(state.totals.summary.passed, 1);
	assert.deepEqual(state.failures, [], 'a file that passed is counted, not kept');
});

test('a finished file leaves the running list and is counted once; only a failure is kept', () => {
	const state = [...events, testEnd('b', 'failed', 10), testEnd('c', 'timed-out', 10)].reduce(reduceState, initialState);
	assert.deepEqual(state.running, []);
	assert.deepEqual(state.totals, {summary: {total: 3, passed: 1, flaky: 0, failed: 1, timedOut: 1, errored: 0, cancelled: 0}, testDurationMs: 30, notRun: 0});
	assert.deepEqual(state.failures.map(result => result.file), ['b', 'c']);
	assert.deepEqual(state.failures[0], {file: 'b', status: 'failed', exitCode: 1, durationMs: 10, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, attempts: 1});
});

test('a failure keeps only the output its details show: the last 20 lines of each stream', () => {
	const stdout = Array.from({length: 1000}, (_, index) => `line ${index}`).join('\n') + '\n';
	const state = reduceState(initialState, testEnd('f', 'failed', 10, {stdout, stdoutBytes: stdout.length}));
	const [kept] = state.failures;
	assert.equal(kept?.stdout, Array.from({length: 20}, (_, index) => `line ${980 + index}`).join('\n') + '\n');
	assert.equal(kept?.stdoutBytes, stdout.length, 'how much there was is still told');
});

test('files cancelled before they started are counted as not run; cancelled ones are not measured for the time left', () => {
	const state = [...events, testEnd('b', 'cancelled', 10, {exitCode: null, containerId: 'cb'}), testEnd('c', 'cancelled', 10, {exitCode: null})].reduce(reduceState, initialState);
	assert.equal(state.totals.notRun, 1);
	assert.equal(state.totals.summary.cancelled, 2);
	assert.deepEqual(state.measured, {files: 1, ms: 10});
});

test('a file that passes copies nothing that grows with the run', () => {
	const before = [...events, testEnd('b', 'failed', 10)].reduce(reduceState, initialState);
	const after = reduceState(before, testEnd('c', 'passed', 10));
	assert.equal(after.failures, before.failures);
});

test('the reducer never changes the state it is given', () => {
	const frozen = Object.freeze(events.reduce(reduceState, initialState));
	const next = reduceState(frozen, testEnd('b', 'failed', 10));
	assert.notEqual(next, frozen);
	assert.equal(frozen.running.length, 2);
	assert.equal(frozen.failures.length, 0);
});

test('output for a file that is not running changes nothing', () => {
	const before = events.reduce(reduceState, initialState);
	const after = reduceState(before, {schema: schemaVersion, type: 'test-output', file: 'a', stream: 'stderr', line: 'late'});
	assert.deepEqual(after.running, before.running);
});

test('run-end is kept as the end of the run', () => {
	const end: RunEvent = {
		schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 1, passed: 1, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0}, durationMs: 5, testDurationMs: 5, exitCode: 0,
	};
	assert.equal(reduceState(initialState, end).end, end);
});

test('a run over several engines keeps each engine\'s files running and done', () => {
	const several: RunEvent[] = [
		{schema: schemaVersion, type: 'run-start', runId: 'r', startedAt: '2026-01-01T00:00:00.000Z', total: 3, concurrency: 3, image: 'i', engine: 'x, y', engines: [{name: 'x', slots: 1}, {name: 'y', slots: 2}]},
		{schema: schemaVersion, type: 'test-start', file: 'a', containerId: 'ca', at: 1, attempt: 1, maxAttempts: 1, engine: 'x'},
		{schema: schemaVersion, type: 'test-start', file: 'b', containerId: 'cb', at: 1, attempt: 1, maxAttempts: 1, engine: 'y'},
		{schema: schemaVersion, type: 'test-start', file: 'c', containerId: 'cc', at: 1, attempt: 1, maxAttempts: 1, engine: 'y'},
		testEnd('b', 'passed', 10, {engine: 'y'}),
		testEnd('d', 'cancelled', 10, {exitCode: null}),
		// Its engine lost: the file leaves the engine, and is not done.
		{...testEnd('c', 'error', 10, {engine: 'y', lost: true}), type: 'test-retry', attempt: 1, maxAttempts: 1},
	];
	const state = several.reduce(reduceState, initialState);
	assert.deepEqual(state.engines, [{name: 'x', slots: 1, busy: 1, done: 0}, {name: 'y', slots: 2, busy: 0, done: 1}]);
	assert.equal(events.reduce(reduceState, initialState).engines, undefined, 'a run on one engine has no engine lines');
});
