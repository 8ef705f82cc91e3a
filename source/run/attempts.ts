import type {AttemptResult, Part, SplitRun, TestCase, TestEnd, TestResult, TestRetry} from '../events.js';
import {isFailure, schemaVersion} from '../events.js';
import type {Selection} from '../frameworks/framework.js';
import {afterRetry, failedOnly, withTests, type UnitOf} from './rerun-tests.js';

/**
How often a file may run again: `retries` after failures of its own, `lost` after its engine went away
under it; with `unit` (the run's framework can pick a file's tests), a retry runs only the tests that failed.
*/
export type RetryPolicy = {retries: number; lost: number; unit?: (file: string) => UnitOf};

/** An engine that keeps going away under the same file is not waited for a fourth time. */
export const defaultLostAttempts = 3;

/**
What the run hands a slot: a file, or one part of a file split by its tests (`selection`: which).
`split`: a split file run whole after its parts, which its `test-end` tells.
*/
export type Task = {file: string; part?: Part; selection?: Selection; split?: SplitRun};

/** One task's way through its attempts. */
export type Turn = Task & {
	/** 1 for the first run. */
	attempt: number;
	earlier: AttemptResult[];
	/** What this attempt runs of the task: the tests that failed before, or (undefined) the task's own selection. */
	rerun?: Selection;
	/** The tests as the attempts so far told them, once there was one. */
	cases?: TestCase[];
};

export const firstTurn = (task: string | Task): Turn => ({...(typeof task === 'string' ? {file: task} : task), attempt: 1, earlier: []});

/** What an attempt of the turn runs of its file: undefined for all of it. */
export const runs = (turn: Pick<Turn, 'rerun' | 'selection'>): Selection | undefined => turn.rerun ?? turn.selection;

const failedOnItsOwn = (result: AttemptResult) => !result.lost && isFailure(result.status);

/** Whether this attempt's end sends the file round again. Passed and cancelled files never do. */
export function runsAgain(result: TestResult, turn: Turn, {retries, lost}: RetryPolicy): boolean {
	if (!isFailure(result.status)) {
		return false;
	}

	const earlier = turn.earlier.filter(attempt => Boolean(attempt.lost) === Boolean(result.lost)).length;
	return earlier < (result.lost ? lost : retries);
}

/**
Whether a failure of this attempt would send the file round again (an engine going away aside): its
container is then not kept, since `--keep-failed` keeps the last attempt's alone.
*/
export function retriedOnFailure(turn: Turn, {retries}: RetryPolicy): boolean {
	return turn.earlier.filter(attempt => !attempt.lost).length < retries;
}

function attemptResult({status, exitCode, durationMs, error, reason, lost}: TestResult): AttemptResult {
	return {status, exitCode, durationMs, ...(error && {error}), ...(reason && {reason}), ...(lost && {lost})};
}

/** The tests of the turn once `result`'s are told. */
function casesAfter(turn: Turn, result: TestResult, unit: UnitOf | undefined): TestCase[] | undefined {
	if (!turn.cases) {
		return result.testcases;
	}

	const rerun = turn.rerun && 'only' in turn.rerun ? new Set(turn.rerun.only) : undefined;
	return afterRetry(turn.cases, result.testcases, rerun, unit);
}

/** The turn's next attempt: only the failed tests of this one when the policy can pick them, else what the task runs. */
export function nextTurn(turn: Turn, result: TestResult, policy?: RetryPolicy): Turn {
	const unit = policy?.unit?.(turn.file);
	const cases = casesAfter(turn, result, unit);
	const rerun = failedOnly(result, unit);
	const {file, part, selection, split} = turn;
	return {
		file, ...(part && {part}), ...(selection && {selection}), ...(split && {split}),
		attempt: turn.attempt + 1,
		earlier: [...turn.earlier, attemptResult(result)],
		...(rerun && {rerun}),
		...(cases && {cases}),
	};
}

/** The attempt that ends with the turn going round again, and what the `next` turn runs when that is only the failed tests. */
export function retryEvent(turn: Turn, result: TestResult, {retries}: RetryPolicy, next?: Turn): TestRetry {
	const only = next?.rerun && 'only' in next.rerun ? [...next.rerun.only] : undefined;
	return {schema: schemaVersion, type: 'test-retry', attempt: turn.attempt, maxAttempts: retries + 1, ...(turn.part && {part: turn.part}), ...(only && {only}), ...result};
}

/** The file's one `test-end`, its tests as every attempt told them: a pass after a failure of its own is `flaky`. */
export function finalEvent(turn: Turn, result: TestResult, policy?: RetryPolicy): TestEnd {
	const flaky = result.status === 'passed' && turn.earlier.some(attempt => failedOnItsOwn(attempt));
	return {
		schema: schemaVersion,
		type: 'test-end',
		...withTests(result, casesAfter(turn, result, policy?.unit?.(turn.file))),
		...(flaky && {status: 'flaky'}),
		attempts: turn.earlier.length + 1,
		...(turn.earlier.length > 0 && {earlier: turn.earlier}),
	};
}

/** A file whose turn came after the run stopped handing out files: it never ran. */
export function notRun(file: string): TestResult {
	return {file, status: 'cancelled', exitCode: null, durationMs: 0, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0};
}
