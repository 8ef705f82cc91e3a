import type {Resources, TestStatus} from '../events.js';
import type {Timings} from './shard.js';
import type {TestTime} from './split.js';

/** What a run learnt of one file: when, how it ended, its time when it ran to an end of its own, its tests' when its framework's report told them, and what its container took when measured. */
export type Outcome = {at: string; status: TestStatus; ms?: number; tests?: TestTime[]; resources?: Resources};

/** Each file's tests, as the last run that timed them told them. */
export type TestTimes = Readonly<Record<string, readonly TestTime[]>>;

/** Runs' outcomes by file; of two for one file, the later one counts. */
export type Outcomes = Readonly<Record<string, Outcome>>;

/** The files that did not pass when they last ran, and when that was recorded. */
export type LastRun = {at: string; notPassed: string[]};

/** Each file's resources, as the last run that measured them told them. */
export type FileResources = Readonly<Record<string, Resources>>;

/** What later runs read: each file's last time, the last run's files that did not pass, and each file's tests' times and resources when known. */
export type Known = {timings: Timings; lastRun: LastRun | undefined; tests?: TestTimes; resources?: FileResources};

/** A `flaky` file (passed on a retry) passed too. */
export const passing = new Set<TestStatus>(['passed', 'flaky']);
/** A time worth ordering by: the file ran to an end of its own (a time-out is at least its time). */
export const timed = (status: TestStatus) => status !== 'cancelled' && status !== 'error';

/** One run's outcomes from each file's end, all at `at`. */
export function outcomesOf(ends: Iterable<[string, {status: TestStatus; durationMs: number; tests?: TestTime[]; resources?: Resources}]>, at: string): Record<string, Outcome> {
	return Object.fromEntries([...ends].map(([file, {status, durationMs, tests, resources}]) => [file, {at, status, ...(timed(status) && {ms: durationMs, ...(tests && {tests})}), ...(resources && {resources})}]));
}

/** Later outcomes over earlier ones, file by file: a record that two runs of a shard update stays true to the latest of each file. */
export function latest(...all: readonly Outcomes[]): Record<string, Outcome> {
	const merged: Record<string, Outcome> = {};
	for (const outcomes of all) {
		for (const [file, outcome] of Object.entries(outcomes)) {
			const before = merged[file];
			if (!before || before.at <= outcome.at) {
				merged[file] = outcome;
			}
		}
	}

	return merged;
}

/**
What is known once the outcomes are folded in: a file timed gets its new time, one that ran takes its
new status, and the others keep what they had; the last run is as new as its newest outcome.
*/
export function fold(known: Known, ...all: readonly Outcomes[]): Known {
	const outcomes = Object.entries(latest(...all));
	if (outcomes.length === 0) {
		return known;
	}

	const notPassed = new Set(known.lastRun?.notPassed);
	for (const [file, {status}] of outcomes) {
		if (passing.has(status)) {
			notPassed.delete(file);
		} else {
			notPassed.add(file);
		}
	}

	const at = outcomes.reduce((newest, [, outcome]) => (outcome.at > newest ? outcome.at : newest), known.lastRun?.at ?? '');
	const tests = newer(known.tests, outcomes, outcome => outcome.tests);
	const resources = newer(known.resources, outcomes, outcome => outcome.resources);
	return {
		timings: {...known.timings, ...Object.fromEntries(outcomes.flatMap(([file, {ms}]) => (ms === undefined ? [] : [[file, ms]])))},
		lastRun: {at, notPassed: [...notPassed].sort()},
		...(tests && {tests}),
		...(resources && {resources}),
	};
}

/** What was known of each file, with what the outcomes that tell it say instead; undefined while nothing is. */
function newer<T>(known: Readonly<Record<string, T>> | undefined, outcomes: ReadonlyArray<[string, Outcome]>, of: (outcome: Outcome) => T | undefined): Record<string, T> | undefined {
	const told = outcomes.flatMap(([file, outcome]) => {
		const value = of(outcome);
		return value === undefined ? [] : [[file, value] as const];
	});
	return known ?? told.length > 0 ? {...known, ...Object.fromEntries(told)} : undefined;
}
