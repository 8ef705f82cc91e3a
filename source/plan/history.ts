import path from 'node:path';
import {readFileSync, readdirSync, rmSync} from 'node:fs';
import {testStatuses, type Resources, type TestStatus} from '../events.js';
import {writeWhole} from '../write-whole.js';
import {
	fold, latest, type FileResources, type Known, type LastRun, type Outcome, type Outcomes, type TestTimes,
} from './outcomes.js';
import type {TestTime} from './split.js';
import type {Shard, Timings} from './shard.js';

/**
What later runs learn from earlier ones, kept in small JSON files (by default under `.baleen/` beside
baleen.yml, or in the current folder), one entry per project so that two projects never mix:
- timings.json: each file's last duration, for the longest-first order and `--shard`;
- last-run.json: the files that did not pass, for `--last-failed`;
- tests.json: each file's tests and their times, as the last run that read its framework's report
  told them: how a slow file is split (see split.ts);
- resources.json: what each file's container took (memory's peak, CPU time, processes), as the last
  run that measured it told it;
- shard-I-of-N.json: what the runs of `--shard I/N` learnt (each file's time and status, with when),
  kept apart so that a shard never changes what the other shards split by; the next run without
  `--shard`, or `baleen timings merge`, folds it into the two others and removes it.
A file that cannot be read is taken as empty: history speeds runs up, it never stops one.
*/
/** Where a project's history is kept: the timings file, the last-run file beside it, and the project's key in both; a sharded run's own record. */
export type History = {timings: string; lastRun: string; project: string; shardRecord?: string};

/** Beside the history files: the last run's specs (`baleen repro`), and the env of the containers `--keep-failed` kept, a folder a run. */
export const specsFile = (history: Pick<History, 'timings'>) => path.join(path.dirname(history.timings), 'last-run-specs.json');
export const keptFolders = (history: Pick<History, 'timings'>) => path.join(path.dirname(history.timings), 'kept');
export const keptFolder = (history: Pick<History, 'timings'>, runId: string) => path.join(keptFolders(history), runId);

/** The files under `.baleen/` in `base` (baleen.yml's folder, or the current one), or beside the timings file given. */
export function historyFiles(base: string, project: string, timings?: string, shard?: Shard): History {
	const file = timings ?? path.join(base, '.baleen', 'timings.json');
	return {timings: file, lastRun: path.join(path.dirname(file), 'last-run.json'), project, ...(shard && {shardRecord: shardRecordFile(file, shard)})};
}

export function shardRecordFile(timings: string, {index, count}: Shard): string {
	return path.join(path.dirname(timings), `shard-${index}-of-${count}.json`);
}

const recordName = /^shard-\d+-of-\d+\.json$/;

/** The shards' records beside the timings file, not folded in yet. */
export function pendingRecords(timings: string): string[] {
	const folder = path.dirname(timings);
	try {
		return readdirSync(folder).filter(name => recordName.test(name)).sort().map(name => path.join(folder, name));
	} catch {
		return [];
	}
}

type Store<T> = {schema: 1; projects: Record<string, T>};

function parse<T>(text: string): Store<T> | undefined {
	const data = JSON.parse(text) as Partial<Store<T>>;
	return data.schema === 1 && data.projects && typeof data.projects === 'object' ? {schema: 1, projects: data.projects} : undefined;
}

function read<T>(file: string): Store<T> {
	try {
		return parse<T>(readFileSync(file, 'utf8')) ?? {schema: 1, projects: {}};
	} catch {
		return {schema: 1, projects: {}};
	}
}

function write<T>(file: string, store: Store<T>): void {
	writeWhole(file, `${JSON.stringify(store, undefined, '\t')}\n`);
}

const isDuration = (ms: unknown) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;

/** A project's timings; an entry that is not a duration (a hand-edited file) is left out. */
export function readTimings(file: string, project: string): Timings {
	const timings: unknown = read<Timings>(file).projects[project];
	return typeof timings === 'object' && timings !== null
		? Object.fromEntries(Object.entries(timings).filter(([, ms]) => isDuration(ms))) as Timings
		: {};
}

/** Merges this run's durations into the file: a file timed now gets its new time, the others keep theirs. */
export function recordTimings(file: string, project: string, durations: Timings): void {
	const store = read<Timings>(file);
	store.projects[project] = {...readTimings(file, project), ...durations};
	write(file, store);
}

/** Where a project's tests' times are kept: beside its timings. */
export const testsFile = (timings: string) => path.join(path.dirname(timings), 'tests.json');

const isTestTime = (test: unknown): test is TestTime => {
	const {name, classname, ms} = (test ?? {}) as Partial<TestTime>;
	return typeof name === 'string' && (classname === undefined || typeof classname === 'string') && isDuration(ms);
};

const testTimes = (tests: unknown): tests is TestTime[] => Array.isArray(tests) && tests.every(test => isTestTime(test));

/** A project's tests' times by file; a file whose entry is not a list of them (a hand-edited file) is left out. */
export function readTests(timings: string, project: string): TestTimes {
	const tests: unknown = read<TestTimes>(testsFile(timings)).projects[project];
	return typeof tests === 'object' && tests !== null ? Object.fromEntries(Object.entries(tests).filter(([, times]) => testTimes(times))) : {};
}

/** Where a project's files' resources are kept: beside its timings. */
export const resourcesFile = (timings: string) => path.join(path.dirname(timings), 'resources.json');

const resourceNames = new Set(['memoryPeakBytes', 'cpuMs', 'pidsPeak']);
const isResources = (value: unknown): value is Resources => typeof value === 'object' && value !== null
	&& Object.entries(value).every(([name, figure]) => resourceNames.has(name) && isDuration(figure));

/** A project's files' resources; an entry that is not one (a hand-edited file) is left out. */
export function readResources(timings: string, project: string): FileResources {
	const resources: unknown = read<FileResources>(resourcesFile(timings)).projects[project];
	return typeof resources === 'object' && resources !== null ? Object.fromEntries(Object.entries(resources).filter(([, figures]) => isResources(figures))) : {};
}

/** A project's last run; undefined when none is recorded, or what is there is not one. */
export function readLastRun(file: string, project: string): LastRun | undefined {
	const run = read<LastRun>(file).projects[project] as Partial<LastRun> | undefined;
	return Array.isArray(run?.notPassed) && run.notPassed.every(file => typeof file === 'string')
		? {at: String(run.at), notPassed: run.notPassed}
		: undefined;
}

export function recordLastRun(file: string, project: string, run: LastRun): void {
	const store = read<LastRun>(file);
	store.projects[project] = run;
	write(file, store);
}

const statuses = new Set<TestStatus>(testStatuses);

function isOutcome(value: unknown): value is Outcome {
	const outcome = value as Partial<Outcome> | undefined;
	return typeof outcome?.at === 'string' && statuses.has(outcome.status!) && (outcome.ms === undefined || isDuration(outcome.ms)) && (outcome.tests === undefined || testTimes(outcome.tests)) && (outcome.resources === undefined || isResources(outcome.resources));
}

/** A project's outcomes in a shard's record; an entry that is not one is left out. */
function outcomesIn(store: Store<unknown>, project: string): Outcomes {
	const outcomes = store.projects[project];
	return typeof outcomes === 'object' && outcomes !== null ? Object.fromEntries(Object.entries(outcomes).filter(([, outcome]) => isOutcome(outcome))) : {};
}

export function readOutcomes(file: string, project: string): Outcomes {
	return outcomesIn(read(file), project);
}

/** What earlier runs left: as recorded in timings.json and last-run.json, and as the shards' records not folded in yet update it. */
export function readKnown({timings, lastRun, project}: History): {recorded: Known; current: Known} {
	const recorded = knownOf({timings, lastRun}, project);
	return {recorded, current: fold(recorded, ...pendingRecords(timings).map(file => readOutcomes(file, project)))};
}

/** What the timings, last-run, tests and resources files hold of a project. */
function knownOf({timings, lastRun}: Pick<History, 'timings' | 'lastRun'>, project: string): Known {
	const tests = readTests(timings, project);
	const resources = readResources(timings, project);
	return {
		timings: readTimings(timings, project),
		lastRun: readLastRun(lastRun, project),
		...(Object.keys(tests).length > 0 && {tests}),
		...(Object.keys(resources).length > 0 && {resources}),
	};
}

/** Sets a project's entry of a file beside the timings. */
function recordBeside<T>(file: string, project: string, entry: T): void {
	const store = read<T>(file);
	store.projects[project] = entry;
	write(file, store);
}

/** Folds outcomes into a project's timings and last run. */
function foldInto(history: Pick<History, 'timings' | 'lastRun'>, project: string, outcomes: readonly Outcomes[]): void {
	const {timings, lastRun} = history;
	const known = fold(knownOf(history, project), ...outcomes);
	recordTimings(timings, project, known.timings);
	if (known.lastRun) {
		recordLastRun(lastRun, project, known.lastRun);
	}

	if (known.tests) {
		recordBeside<TestTimes>(testsFile(timings), project, known.tests);
	}

	if (known.resources) {
		recordBeside<FileResources>(resourcesFile(timings), project, known.resources);
	}
}

/** Takes a project out of a shard's record, once folded in; a record left with none is removed. */
function forget(file: string, project: string): void {
	const store = read(file);
	delete store.projects[project];
	if (Object.keys(store.projects).length === 0) {
		rmSync(file, {force: true});
	} else {
		write(file, store);
	}
}

/**
Records a run's outcomes: a sharded run's into its shard's record (later outcomes over earlier ones),
any other's folded into timings.json and last-run.json along with the shards' records waiting there.
*/
export function recordRun(history: History, outcomes: Outcomes): void {
	const {project, shardRecord} = history;
	if (shardRecord) {
		const store = read<Outcomes>(shardRecord);
		store.projects[project] = latest(outcomesIn(store, project), outcomes);
		write(shardRecord, store);
		return;
	}

	const pending = pendingRecords(history.timings);
	foldInto(history, project, [...pending.map(file => readOutcomes(file, project)), outcomes]);
	for (const file of pending) {
		forget(file, project);
	}
}

/** A shard's record as `baleen timings merge` takes it: readable, and one, or the reason it is not. */
export function readRecord(file: string): Store<Outcomes> | string {
	let text;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		return `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give the shard-I-of-N.json records that runs with --shard wrote`;
	}

	try {
		const store = parse<unknown>(text);
		if (store) {
			return {schema: 1, projects: Object.fromEntries(Object.keys(store.projects).map(project => [project, outcomesIn(store, project)]))};
		}
	} catch {}

	return `${file} is not a shard's record (shard-I-of-N.json, as a run with --shard writes it)`;
}

/** Folds shards' records, every project of each, into the timings and last-run files, and removes them; the projects folded, by name. */
export function foldRecords(history: Pick<History, 'timings' | 'lastRun'>, records: ReadonlyArray<{file: string; store: Store<Outcomes>}>): string[] {
	const projects = [...new Set(records.flatMap(({store}) => Object.keys(store.projects)))].sort();
	for (const project of projects) {
		foldInto(history, project, records.map(({store}) => store.projects[project] ?? {}));
	}

	for (const {file} of records) {
		rmSync(file, {force: true});
	}

	return projects;
}
