import type {AttemptResult, TestEnd, TestResult, TestRetry} from '../events.js';
import {isFailure, schemaVersion} from '../events.js';

/** How often a file may run again: `retries` after failures of its own, `lost` after its engine went away under it. */
export type RetryPolicy = {retries: number; lost: number};

/** An engine that keeps going away under the same file is not waited for a fourth time. */
export const defaultLostAttempts = 3;

/** One file's way through its attempts. */
export type Turn = {
	file: string;
	/** 1 for the first run. */
	attempt: number;
	earlier: AttemptResult[];
};

export const firstTurn = (file: string): Turn => ({file, attempt: 1, earlier: []});

const failedOnItsOwn = (result: AttemptResult) => !result.lost && isFailure(result.status);

/** Whether this attempt's end sends the file round again. Passed and cancelled files never do. */
export function runsAgain(result: TestResult, turn: Turn, {retries, lost}: RetryPolicy): boolean {
	if (!isFailure(result.status)) {
		return false;
	}

	const earlier = turn.earlier.filter(attempt => Boolean(attempt.lost) === Boolean(result.lost)).length;
	return earlier < (result.lost ? lost : retries);
}

function attemptResult({status, exitCode, durationMs, error, reason, lost}: TestResult): AttemptResult {
	return {status, exitCode, durationMs, ...(error && {error}), ...(reason && {reason}), ...(lost && {lost})};
}

export function nextTurn(turn: Turn, result: TestResult): Turn {
	return {file: turn.file, attempt: turn.attempt + 1, earlier: [...turn.earlier, attemptResult(result)]};
}

export function retryEvent(turn: Turn, result: TestResult, {retries}: RetryPolicy): TestRetry {
	return {schema: schemaVersion, type: 'test-retry', attempt: turn.attempt, maxAttempts: retries + 1, ...result};
}

/** The file's one `test-end`: a pass after a failure of its own is `flaky`. */
export function finalEvent(turn: Pick<Turn, 'earlier'>, result: TestResult): TestEnd {
	const flaky = result.status === 'passed' && turn.earlier.some(attempt => failedOnItsOwn(attempt));
	return {
		schema: schemaVersion,
		type: 'test-end',
		...result,
		...(flaky && {status: 'flaky'}),
		attempts: turn.earlier.length + 1,
		...(turn.earlier.length > 0 && {earlier: turn.earlier}),
	};
}

/** A file whose turn came after the run stopped handing out files: it never ran. */
export function notRun(file: string): TestResult {
	return {file, status: 'cancelled', exitCode: null, durationMs: 0, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0};
}
