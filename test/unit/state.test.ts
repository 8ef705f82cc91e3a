import assert from 'node:assert/strict';
import {test} from 'node:test';
import {schemaVersion, type RunEvent, type TestEnd} from '../../source/events.js';
import {initialState, reduce} from '../../source/run/state.js';

const testEnd = (file: string, status: TestEnd['status']): TestEnd => ({
	schema: schemaVersion, type: 'test-end', file, status, exitCode: status === 'passed' ? 0 : 1, durationMs: 10, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0,
});

const events: RunEvent[] = [
	{schema: schemaVersion, type: 'run-start', runId: 'r', startedAt: '2026-01-01T00:00:00.000Z', total: 3, concurrency: 2, image: 'i', engine: 'e'},
	{schema: schemaVersion, type: 'test-start', file: 'a', containerId: 'ca', at: 1},
	{schema: schemaVersion, type: 'test-start', file: 'b', containerId: 'cb', at: 2},
	{schema: schemaVersion, type: 'test-output', file: 'b', stream: 'stdout', line: 'working'},
	testEnd('a', 'passed'),
	{schema: schemaVersion, type: 'test-start', file: 'c', containerId: 'cc', at: 3},
];

test('running files are tracked in start order with their last line', () => {
	const state = events.reduce(reduce, initialState);
	assert.equal(state.start?.total, 3);
	assert.deepEqual(state.running, [
		{file: 'b', containerId: 'cb', startedAt: 2, lastLine: 'working'},
		{file: 'c', containerId: 'cc', startedAt: 3},
	]);
	assert.deepEqual(state.finished.map(result => result.file), ['a']);
	assert.equal(state.summary.passed, 1);
});

test('a finished file leaves the running list and is counted once', () => {
	const state = [...events, testEnd('b', 'failed'), testEnd('c', 'timed-out')].reduce(reduce, initialState);
	assert.deepEqual(state.running, []);
	assert.deepEqual(state.summary, {total: 3, passed: 1, failed: 1, timedOut: 1, errored: 0, cancelled: 0});
	assert.deepEqual(state.finished[1], {file: 'b', status: 'failed', exitCode: 1, durationMs: 10, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0});
});

test('output for a file that is not running changes nothing', () => {
	const before = events.reduce(reduce, initialState);
	const after = reduce(before, {schema: schemaVersion, type: 'test-output', file: 'a', stream: 'stderr', line: 'late'});
	assert.deepEqual(after.running, before.running);
});

test('the reducer never changes the state it is given', () => {
	const frozen = Object.freeze(events.reduce(reduce, initialState));
	const next = reduce(frozen, testEnd('b', 'passed'));
	assert.notEqual(next, frozen);
	assert.equal(frozen.running.length, 2);
});

test('run-end is kept as the end of the run', () => {
	const end: RunEvent = {
		schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 1, passed: 1, failed: 0, timedOut: 0, errored: 0, cancelled: 0}, durationMs: 5, testDurationMs: 5, exitCode: 0,
	};
	assert.equal(reduce(initialState, end).end, end);
});
