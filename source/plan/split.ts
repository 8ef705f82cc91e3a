import type {Selection} from '../frameworks/framework.js';
import type {Task} from '../run/attempts.js';
import type {UnitOf} from '../run/rerun-tests.js';
import type {TestCase} from '../events.js';

/** One test of a file as an earlier run timed it (the framework's report's name and classname). */
export type TestTime = Pick<TestCase, 'name' | 'classname'> & {ms: number};

/** When a file is split by its tests: `auto` (longer than its share of the run, into the parts that end the run soonest), `off`, or longer than this many milliseconds. */
export type SplitWhen = 'auto' | 'off' | {aboveMs: number};

/** What splitting needs to know of the run. */
export type Splitting = {
	when: SplitWhen;
	/** How many files run at once: no file is split into more parts. */
	slots: number;
	/** Each file's expected milliseconds, from the timings (see `expectedTimes`). */
	expected: ReadonlyMap<string, number> | undefined;
	/** Each file's tests as the last run that timed them told them. */
	tests: Readonly<Record<string, readonly TestTime[]>>;
	/** How the run's framework names a test of a file for its filters; undefined when it cannot pick tests. */
	unit: ((file: string) => UnitOf) | undefined;
};

/**
Each unit's time: a test named as its unit stands for it whole (go's parent test, whose time holds its
subtests'), the others add up.
*/
export function unitTimes(tests: readonly TestTime[], unit: UnitOf): Map<string, number> {
	const whole = new Map<string, number>();
	const sums = new Map<string, number>();
	for (const test of tests) {
		const name = unit({name: test.name, classname: test.classname, status: 'passed'});
		const into = name === test.name ? whole : sums;
		into.set(name, name === test.name ? Math.max(into.get(name) ?? 0, test.ms) : (into.get(name) ?? 0) + test.ms);
	}

	return new Map([...new Set([...whole.keys(), ...sums.keys()])].map(name => [name, Math.max(whole.get(name) ?? 0, sums.get(name) ?? 0)]));
}

/**
The units in `parts` groups of about equal time, longest first to the least loaded (LPT); ties by name,
so that the same timings always give the same parts.
*/
export function balance(times: ReadonlyMap<string, number>, parts: number): Array<{units: string[]; ms: number}> {
	const groups = Array.from({length: parts}, () => ({units: [] as string[], ms: 0}));
	const ordered = [...times].sort(([a, aMs], [b, bMs]) => bMs - aMs || (a < b ? -1 : (a > b ? 1 : 0)));
	for (const [name, ms] of ordered) {
		const least = groups.reduce((best, group) => (group.ms < best.ms ? group : best));
		least.units.push(name);
		least.ms += ms;
	}

	return groups.filter(group => group.units.length > 0);
}

/**
A file as the parts it runs as: each group of units but the least loaded runs `only` its units, the
least loaded one runs every test `except` the others' (so that a test no earlier run named still runs,
once); their expected times, each with the file's own cost beyond its tests (a container, a start-up).
*/
function parts(file: string, times: ReadonlyMap<string, number>, count: number, expectedMs: number): Array<{task: Task; ms: number}> {
	const groups = balance(times, count);
	const rest = groups.reduce((least, group) => (group.ms < least.ms ? group : least));
	const testsMs = [...times.values()].reduce((sum, ms) => sum + ms, 0);
	const overheadMs = Math.max(0, expectedMs - testsMs);
	return groups.map((group, index) => {
		const selection: Selection = group === rest
			? {except: groups.filter(other => other !== rest).flatMap(other => other.units)}
			: {only: group.units};
		return {task: {file, part: {index: index + 1, count: groups.length}, selection}, ms: overheadMs + group.ms};
	});
}

/** Under `auto`, no part is to have less than this in tests: a part costs a container and the framework's start whatever it runs. */
const leastPartMs = 1000;

/**
How many parts `auto` splits a file into: the number that makes the run end soonest, as far as the
timings tell. Each part costs what the file costs beyond its tests (its expected time less its tests'
times: a container, the framework's start) on top of its tests, so more parts shorten the file but
lengthen the run's work; the run ends no sooner than its longest part, nor than all its work over the
slots. Of counts that tie, the fewest; none with less than a second of tests in a part.
*/
function bestParts(times: ReadonlyMap<string, number>, expectedMs: number, runMs: number, slots: number): number {
	const testsMs = [...times.values()].reduce((sum, ms) => sum + ms, 0);
	const partMs = Math.max(0, expectedMs - testsMs);
	const most = Math.min(slots, times.size, Math.floor(testsMs / leastPartMs));
	let best = {count: 1, endMs: Math.max(expectedMs, runMs / slots)};
	for (let count = 2; count <= most; count++) {
		const longest = Math.max(...balance(times, count).map(group => group.ms)) + partMs;
		const endMs = Math.max(longest, (runMs + ((count - 1) * partMs)) / slots);
		if (endMs < best.endMs) {
			best = {count, endMs};
		}
	}

	return best.count;
}

/** The time over which a file is split, for a run of `files`: its share of the run for `auto`. */
function threshold(when: Exclude<SplitWhen, 'off'>, files: readonly string[], expected: ReadonlyMap<string, number>, slots: number): number {
	if (when !== 'auto') {
		return when.aboveMs;
	}

	return files.reduce((sum, file) => sum + (expected.get(file) ?? 0), 0) / slots;
}

/**
The run's tasks from its files (longest first): a file whose expected time is over the threshold, whose
tests an earlier run timed and whose framework can pick them runs as parts, as many as its time over the
threshold (never more than the slots or its tests); the others whole. Longest first again, parts among files.
*/
export function splitFiles(files: readonly string[], {when, slots, expected, tests, unit}: Splitting): Task[] {
	if (when === 'off' || !unit || !expected || slots < 2) {
		return files.map(file => ({file}));
	}

	const over = threshold(when, files, expected, slots);
	const runMs = files.reduce((sum, file) => sum + (expected.get(file) ?? 0), 0);
	const tasks = files.flatMap(file => {
		const ms = expected.get(file) ?? 0;
		const known = tests[file];
		const times = known && ms > over && over > 0 ? unitTimes(known, unit(file)) : undefined;
		const count = !times ? 1 : (when === 'auto' ? bestParts(times, ms, runMs, slots) : Math.min(Math.ceil(ms / over), slots, times.size));
		return times && count > 1 ? parts(file, times, count, ms) : [{task: {file}, ms}];
	});
	// A stable sort: files that tie keep the order they came in.
	return tasks.sort((a, b) => b.ms - a.ms).map(({task}) => task);
}
