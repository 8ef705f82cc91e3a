import {
	failedFiles, summaryKey, type CancelSignal, type Summary, type TestCounts, type TestResult,
} from '../events.js';

export const emptySummary: Summary = {
	total: 0, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0,
};

export function addResult(summary: Summary, result: Pick<TestResult, 'status'>): Summary {
	const key = summaryKey[result.status];
	return {...summary, total: summary.total + 1, [key]: (summary[key] ?? 0) + 1};
}

/** A file cancelled before its turn came: it never had a container, and a report names such files only by their number. */
export function neverStarted(result: Pick<TestResult, 'status' | 'containerId'>): boolean {
	return result.status === 'cancelled' && result.containerId === undefined;
}

/** What the finished files add up to, so far: `run-end` and every view count with this one function. */
export type Totals = {
	summary: Summary;
	/** Every file's duration added up. */
	testDurationMs: number;
	/** Files cancelled before they started. */
	notRun: number;
	/** `--results`: the tests the frameworks counted, in the files whose report could be read. */
	tests?: TestCounts;
};

export const emptyTotals: Totals = {summary: emptySummary, testDurationMs: 0, notRun: 0};

export function addTests(sum: TestCounts | undefined, tests: TestCounts | undefined): TestCounts | undefined {
	if (!tests) {
		return sum;
	}

	const before = sum ?? {total: 0, passed: 0, failed: 0, skipped: 0};
	return {total: before.total + tests.total, passed: before.passed + tests.passed, failed: before.failed + tests.failed, skipped: before.skipped + tests.skipped};
}

export function tally(totals: Totals, result: Pick<TestResult, 'status' | 'durationMs' | 'containerId' | 'tests'>): Totals {
	const tests = addTests(totals.tests, result.tests);
	return {
		summary: addResult(totals.summary, result),
		testDurationMs: totals.testDurationMs + result.durationMs,
		notRun: totals.notRun + (neverStarted(result) ? 1 : 0),
		...(tests && {tests}),
	};
}

/** 128 and the signal's number, as shells report a process a signal ended. */
export const signalExitCode: Record<CancelSignal, number> = {SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143};

/**
0 when every file passed, 1 when any failed, timed out or errored (or was flaky, with `failOnFlaky`);
a cancelling signal wins over both.
*/
export function exitCodeFor(summary: Summary, signal?: CancelSignal, failOnFlaky = false): number {
	if (signal) {
		return signalExitCode[signal];
	}

	return failedFiles(summary) + (failOnFlaky ? summary.flaky : 0) > 0 ? 1 : 0;
}
