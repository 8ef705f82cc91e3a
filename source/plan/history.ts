import path from 'node:path';
import {readFileSync} from 'node:fs';
import {writeWhole} from '../write-whole.js';
import type {Timings} from './shard.js';

/**
What later runs learn from earlier ones, kept in small JSON files (by default under `.baleen/` beside
baleen.yml, or in the current folder), one entry per project so that two projects never mix:
- timings.json: each file's last duration, for the longest-first order and `--shard`;
- last-run.json: the files that did not pass, for `--last-failed`.
A file that cannot be read is taken as empty: history speeds runs up, it never stops one.
*/
/** Where a project's history is kept: the timings file, the last-run file beside it, and the project's key in both. */
export type History = {timings: string; lastRun: string; project: string};

/** The files under `.baleen/` in `base` (baleen.yml's folder, or the current one), or beside the timings file given. */
export function historyFiles(base: string, project: string, timings?: string): History {
	const file = timings ?? path.join(base, '.baleen', 'timings.json');
	return {timings: file, lastRun: path.join(path.dirname(file), 'last-run.json'), project};
}

type Store<T> = {schema: 1; projects: Record<string, T>};

function read<T>(file: string): Store<T> {
	try {
		const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Store<T>>;
		if (data.schema === 1 && data.projects && typeof data.projects === 'object') {
			return {schema: 1, projects: data.projects};
		}
	} catch {}

	return {schema: 1, projects: {}};
}

function write<T>(file: string, store: Store<T>): void {
	writeWhole(file, `${JSON.stringify(store, undefined, '\t')}\n`);
}

/** A project's timings; an entry that is not a duration (a hand-edited file) is left out. */
export function readTimings(file: string, project: string): Timings {
	const timings: unknown = read<Timings>(file).projects[project];
	return typeof timings === 'object' && timings !== null
		? Object.fromEntries(Object.entries(timings).filter(([, ms]) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) as Timings
		: {};
}

/** Merges this run's durations into the file: a file timed now gets its new time, the others keep theirs. */
export function recordTimings(file: string, project: string, durations: Timings): void {
	const store = read<Timings>(file);
	store.projects[project] = {...readTimings(file, project), ...durations};
	write(file, store);
}

export type LastRun = {at: string; notPassed: string[]};

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
