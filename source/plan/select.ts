import {matcher} from '../discover/image.js';
import {BaleenError} from '../errors.js';
import type {LastRun} from './outcomes.js';
import {
	expectedTimes, longestFirst, planShard, type Shard, type ShardPlan, type Timings,
} from './shard.js';

/** What narrows and orders the files found. */
export type Narrowing = {
	exclude: readonly string[];
	shard?: Shard;
	/** `--last-failed`: the last run recorded for the project, undefined when none is. */
	lastFailed?: {run: LastRun | undefined; where: string};
	timings: Timings;
};

/** The files this run runs, in the order it starts them, and what it expects of each. */
export type Selection = {
	files: string[];
	/** Each file's expected milliseconds, when some timing is known. */
	expectedMs?: Record<string, number>;
	/** Why a run has nothing to do, for a person; the run then ends at once, as passed. */
	notes: string[];
	/** `--shard`: the plan of the split this run's files were taken from. */
	shard?: ShardPlan;
};

/**
From every file found to this run's: those `--exclude` leaves out go first, then `--shard` takes its
share of the rest, `--last-failed` keeps the ones of it that did not pass (so every shard splits the
same list, and each re-runs only its own failures), and what is left starts longest first (LPT). A
run left with no file by its shard or by `--last-failed` is not an error (a CI matrix may have more
shards than files); one whose every file is excluded is.
*/
export function select(found: readonly string[], {exclude, shard, lastFailed, timings}: Narrowing): Selection {
	const excluded = exclude.length > 0 ? matcher(exclude) : () => false;
	let files = found.filter(file => !excluded(file));
	if (files.length === 0) {
		throw new BaleenError(`--exclude ${exclude.join(' ')} leaves out all ${found.length} files found`);
	}

	if (lastFailed && !lastFailed.run) {
		throw new BaleenError(`--last-failed: no earlier run of this project is recorded in ${lastFailed.where}`);
	}

	const split = shard && planShard(files, shard, timings);
	const planned = split && {shard: split.plan};
	if (split) {
		const total = split.plan.planned;
		files = split.files;
		if (files.length === 0) {
			return {files, notes: [`shard ${shard.index}/${shard.count} has no file to run: ${total} ${total === 1 ? 'file' : 'files'} over ${shard.count} shards`], ...planned};
		}
	}

	if (lastFailed?.run) {
		const {run} = lastFailed;
		const notPassed = new Set(run.notPassed);
		files = files.filter(file => notPassed.has(file));
		if (files.length === 0) {
			const where = shard ? ` in shard ${shard.index}/${shard.count}` : '';
			return {files, notes: [`--last-failed: nothing to re-run${where}, every file passed when it last ran (${run.at})`], ...planned};
		}
	}

	const expected = expectedTimes(files, timings);
	return {
		files: longestFirst(files, timings),
		notes: [],
		...planned,
		...(expected && {expectedMs: Object.fromEntries([...expected].map(([file, ms]) => [file, Math.round(ms)]))}),
	};
}
