import assert from 'node:assert/strict';
import {test} from 'node:test';
import {failedFiles, isFailure, testStatuses, type TestStatus} from '../../source/events.js';
import {resultLine} from '../../source/words/lines.js';
import {addResult, emptySummary, emptyTotals, exitCodeFor, tally} from '../../source/run/summary.js';

const summaryOf = (...statuses: TestStatus[]) => statuses.reduce((summary, status) => addResult(summary, {status}), emptySummary);

test('addResult counts each status under its own key and in the total', () => {
	assert.deepEqual(summaryOf('passed', 'failed', 'timed-out', 'error', 'cancelled', 'passed'), {
		total: 6, passed: 2, flaky: 0, failed: 1, timedOut: 1, errored: 1, cancelled: 1,
	});
});

test('the files that did not pass are those that failed, timed out or errored, counted alike from a summary', () => {
	assert.deepEqual(testStatuses.filter(status => isFailure(status)), ['failed', 'timed-out', 'error']);
	assert.equal(failedFiles(summaryOf('passed', 'flaky', 'failed', 'timed-out', 'error', 'cancelled', 'error')), 4);
});

test('exit code 0 only when nothing failed, timed out or errored', () => {
	assert.equal(exitCodeFor(summaryOf('passed', 'passed')), 0);
	assert.equal(exitCodeFor(summaryOf()), 0);
	assert.equal(exitCodeFor(summaryOf('passed', 'failed')), 1);
	assert.equal(exitCodeFor(summaryOf('timed-out')), 1);
	assert.equal(exitCodeFor(summaryOf('error')), 1);
});

test('a cancelling signal decides the exit code', () => {
	assert.equal(exitCodeFor(summaryOf('passed', 'cancelled'), 'SIGINT'), 130);
	assert.equal(exitCodeFor(summaryOf('failed', 'cancelled'), 'SIGTERM'), 143);
});

test('a finished row names the exit code of a failure, not the kill of a timeout or cancel', () => {
	const result = {file: 'a.sh', exitCode: 137, durationMs: 1500, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0};
	assert.equal(resultLine({...result, status: 'failed'}), '✗ failed    a.sh (exit 137, 1.5s)');
	assert.equal(resultLine({...result, status: 'timed-out'}), '⏱ timed out a.sh (1.5s)');
	assert.equal(resultLine({...result, status: 'cancelled'}), '- cancelled a.sh (1.5s)');
	assert.equal(resultLine({...result, status: 'passed', exitCode: 0}), '✓ passed    a.sh (1.5s)');
});

test('a finished row says how a split file ran: in parts, or whole after its parts and why', () => {
	const result = {file: 'a.spec.js', status: 'passed' as const, exitCode: 0, durationMs: 4900, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, tests: {total: 8, passed: 8, failed: 0, skipped: 0}};
	assert.equal(resultLine({...result, split: {parts: 3, partsMs: 13_000}}), '✓ passed    a.spec.js (4.9s, in 3 parts, 8 tests)');
	assert.equal(resultLine({...result, split: {parts: 2, whole: 'part 1 of 2: no report'}}), '✓ passed    a.spec.js (4.9s, whole after 2 parts: part 1 of 2: no report, 8 tests)');
});

test('tally counts a file once, adds its time, and tells the files that never started', () => {
	const ran = {status: 'cancelled' as const, durationMs: 500, containerId: 'c1'};
	const neverRan = {status: 'cancelled' as const, durationMs: 0};
	const totals = [ran, neverRan, {status: 'passed' as const, durationMs: 100, containerId: 'c2'}].reduce(tally, emptyTotals);
	assert.deepEqual(totals, {summary: {...emptySummary, total: 3, passed: 1, cancelled: 2}, testDurationMs: 600, notRun: 1});
});
