import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {schemaVersion, type RunEvent, type TestEnd, type TestRetry} from '../../source/events.js';
import {layout} from '../../source/report/layout.js';
import {runStart, t0, testEnd} from '../helpers/fixtures.js';

const start = (file: string, attempt: number, atMs: number, engine: string, slot?: number): RunEvent => ({
	schema: schemaVersion, type: 'test-start', file, containerId: `${file}#${attempt}`, at: t0 + atMs, attempt, maxAttempts: 2, engine, ...(slot !== undefined && {slot}),
});
const ended = (file: string, status: TestEnd['status'], fromMs: number, toMs: number, extra: Partial<TestEnd> = {}): TestEnd =>
	testEnd(file, status, toMs - fromMs, {endedAt: t0 + toMs, ...extra});
const retry = (file: string, attempt: number, status: TestEnd['status'], fromMs: number, toMs: number, extra: Partial<TestRetry> = {}): RunEvent => {
	const {type, attempts, ...result} = ended(file, status, fromMs, toMs);
	return {...result, type: 'test-retry', attempt, maxAttempts: 2, ...extra};
};
const runEnd = (durationMs: number): RunEvent => ({
	schema: schemaVersion, type: 'run-end', runId: 'r1', durationMs, testDurationMs: 0, exitCode: 1,
	summary: {total: 3, passed: 1, flaky: 1, failed: 1, timedOut: 0, errored: 0, cancelled: 0},
});

/**
Two engines (A with two slots, B with one), times in ms from the run's start:
a.sh on A/0 0–400 (started at 100); b.sh on A/1 fails 0–300, passes on its retry 300–700 (flaky);
c.sh on B/0 100–200 lost with its engine, then on A/0 400–1000, failed. The run took 1000 ms.
*/
const events: RunEvent[] = [
	{...runStart(3, 3), engines: [{name: 'A', slots: 2}, {name: 'B', slots: 1}]},
	start('a.sh', 1, 100, 'A', 0),
	start('b.sh', 1, 50, 'A', 1),
	start('c.sh', 1, 150, 'B', 0),
	retry('c.sh', 1, 'error', 100, 200, {lost: true}),
	retry('b.sh', 1, 'failed', 0, 300),
	start('b.sh', 2, 350, 'A', 1),
	ended('a.sh', 'passed', 0, 400),
	start('c.sh', 2, 450, 'A', 0),
	ended('b.sh', 'flaky', 300, 700, {attempts: 2}),
	ended('c.sh', 'failed', 400, 1000, {attempts: 2}),
	runEnd(1000),
];

describe('the timeline of a run', () => {
	test('a lane per engine and slot, a bar per attempt at its place: x where it began, its start, its width', () => {
		const timeline = layout(events);
		assert.equal(timeline.origin, t0);
		assert.equal(timeline.spanMs, 1000);
		assert.deepEqual(timeline.lanes.map(({engine, slot}) => `${engine}/${slot}`), ['A/0', 'A/1', 'B/0']);
		assert.deepEqual(timeline.bars.map(({containerId, row, x, startedX, width, status, lost, retried}) => ({containerId, row, x, startedX, width, status, lost, retried})).sort((a, b) => a.containerId.localeCompare(b.containerId)), [
			{containerId: 'a.sh#1', row: 0, x: 0, startedX: 100, width: 400, status: 'passed', lost: false, retried: false},
			{containerId: 'b.sh#1', row: 1, x: 0, startedX: 50, width: 300, status: 'failed', lost: false, retried: true},
			{containerId: 'b.sh#2', row: 1, x: 300, startedX: 350, width: 400, status: 'flaky', lost: false, retried: false},
			{containerId: 'c.sh#1', row: 2, x: 100, startedX: 150, width: 100, status: 'error', lost: true, retried: true},
			{containerId: 'c.sh#2', row: 0, x: 400, startedX: 450, width: 600, status: 'failed', lost: false, retried: false},
		]);
	});

	test('idle time per lane, and the part of it after the lane\'s last attempt', () => {
		const timeline = layout(events);
		assert.deepEqual(timeline.lanes.map(({busyMs, idleMs, idleAtEndMs}) => [busyMs, idleMs, idleAtEndMs]), [[1000, 0, 0], [700, 300, 300], [100, 900, 800]]);
		assert.deepEqual([timeline.busyMs, timeline.idleMs, timeline.idleAtEndMs], [1800, 1200, 1100]);
	});

	test('the critical path: the slowest files with their share of the span (ties by name), and the attempt the run waited for', () => {
		const timeline = layout(events);
		assert.deepEqual(timeline.slowest, [{file: 'b.sh', ms: 700, share: 0.7}, {file: 'c.sh', ms: 700, share: 0.7}, {file: 'a.sh', ms: 400, share: 0.4}]);
		assert.deepEqual(timeline.last, {file: 'c.sh', containerId: 'c.sh#2', x: 400, width: 600});
	});

	test('events without slots or end times (older ones): each attempt to the first free lane of its engine, from its start for its duration', () => {
		const old: RunEvent[] = [
			runStart(3, 2),
			{schema: schemaVersion, type: 'test-start', file: 'a', containerId: 'ca', at: t0 + 10, attempt: 1, maxAttempts: 1},
			{schema: schemaVersion, type: 'test-start', file: 'b', containerId: 'cb', at: t0 + 20, attempt: 1, maxAttempts: 1},
			testEnd('a', 'passed', 100),
			{schema: schemaVersion, type: 'test-start', file: 'c', containerId: 'cc', at: t0 + 115, attempt: 1, maxAttempts: 1},
			testEnd('b', 'passed', 200),
			testEnd('c', 'passed', 50),
			runEnd(300),
		];
		const timeline = layout(old);
		assert.deepEqual(timeline.bars.map(({containerId, row, x, width}) => [containerId, row, x, width]), [['ca', 0, 10, 100], ['cb', 1, 20, 200], ['cc', 0, 115, 50]]);
		assert.equal(timeline.spanMs, 300);
	});

	test('an attempt that started and was never told to end (a killed run) reaches to the last thing known, unfinished', () => {
		const timeline = layout([runStart(1, 1), start('a.sh', 1, 100, 'A', 0)]);
		assert.deepEqual(timeline.bars.map(({status, x, width}) => ({status, x, width})), [{status: 'unfinished', x: 100, width: 0}]);
	});

	test('a file split into parts: a bar per part, each in its own lane, the file\'s end drawing none of its own', () => {
		const part = (index: number, slot: number, fromMs: number, toMs: number): RunEvent[] => {
			const {type, ...result} = ended('big', 'passed', fromMs, toMs);
			return [
				{...(start('big', 1, fromMs, 'A', slot) as RunEvent & {type: 'test-start'}), containerId: `big-${index}`, part: {index, count: 2}},
				{...result, type: 'part-end', part: {index, count: 2}, attempts: 1, containerId: `big-${index}`},
			];
		};

		const [start1, end1] = part(1, 0, 0, 300);
		const [start2, end2] = part(2, 1, 10, 500);
		const timeline = layout([runStart(1, 2), start1!, start2!, end1!, end2!, ended('big', 'passed', 0, 500, {split: {parts: 2}}), runEnd(500)]);
		assert.deepEqual(timeline.bars.map(({containerId, row, x, width}) => [containerId, row, x, width]), [['big-1', 0, 0, 300], ['big-2', 1, 10, 490]]);
	});

	test('no events, no timeline', () => {
		assert.deepEqual(layout([]).bars, []);
	});
});
