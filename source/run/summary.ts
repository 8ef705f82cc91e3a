import type {CancelSignal, Summary, TestResult, TestStatus} from '../events.js';

export const emptySummary: Summary = {total: 0, passed: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0};

const countKey: Record<TestStatus, Exclude<keyof Summary, 'total'>> = {
	passed: 'passed',
	failed: 'failed',
	'timed-out': 'timedOut',
	error: 'errored',
	cancelled: 'cancelled',
};

export function addResult(summary: Summary, result: Pick<TestResult, 'status'>): Summary {
	const key = countKey[result.status];
	return {...summary, total: summary.total + 1, [key]: summary[key] + 1};
}

/** 128 and the signal's number, as shells report a process a signal ended. */
export const signalExitCode: Record<CancelSignal, number> = {SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143};

/** 0 when every file passed, 1 when any failed, timed out or errored; a cancelling signal wins over both. */
export function exitCodeFor(summary: Summary, signal?: CancelSignal): number {
	if (signal) {
		return signalExitCode[signal];
	}

	return summary.failed + summary.timedOut + summary.errored > 0 ? 1 : 0;
}
