import {createHash} from 'node:crypto';

/** This machine's share of the files: the `index`th of `count`, counted from 1. */
export type Shard = {index: number; count: number};

/** A shard as planned: which of how many, how many files all the shards share and which, and a digest of what the split was made from. */
export type ShardPlan = Shard & {planned: number; digest: string; files: string[]};

/** Milliseconds each file took last time, by file. */
export type Timings = Readonly<Record<string, number>>;

const byName = (a: string, b: string) => (a < b ? -1 : (a > b ? 1 : 0));

/** Each file's expected time: the recorded one, or the mean of the recorded ones for a file never timed; undefined when none is known. */
export function expectedTimes(files: readonly string[], timings: Timings): Map<string, number> | undefined {
	const known = files.filter(file => Number.isFinite(timings[file]));
	if (known.length === 0) {
		return undefined;
	}

	const mean = known.reduce((sum, file) => sum + timings[file]!, 0) / known.length;
	return new Map(files.map(file => [file, Number.isFinite(timings[file]) ? timings[file]! : mean]));
}

/** The longest first (the LPT rule), ties by name; by name alone when nothing is known. */
export function longestFirst(files: readonly string[], timings: Timings): string[] {
	const times = expectedTimes(files, timings);
	const sorted = [...files].sort(byName);
	return times ? sorted.sort((a, b) => times.get(b)! - times.get(a)! || byName(a, b)) : sorted;
}

/**
The files of one shard. With timings, LPT bin packing: the longest file first, each to the shard with
the least work so far (the lowest-numbered on a tie), so the shards end close together; without, by
sorted name, round-robin. Either way it depends only on the file list and the timings, so independent
CI jobs given the same ones agree, and every file is in exactly one shard.
*/
export function shardFiles(files: readonly string[], {index, count}: Shard, timings: Timings = {}): string[] {
	const times = expectedTimes(files, timings);
	const ordered = longestFirst([...new Set(files)], timings);
	if (!times) {
		return ordered.filter((_, position) => position % count === index - 1);
	}

	const loads = Array.from({length: count}, () => 0);
	return ordered.filter(file => {
		const least = loads.indexOf(Math.min(...loads));
		loads[least]! += times.get(file)!;
		return least === index - 1;
	});
}

/** A digest of what a split depends on (the files and their timings), so that shards planned from different ones can be told apart. */
export function splitDigest(files: readonly string[], timings: Timings): string {
	const sorted = [...new Set(files)].sort(byName);
	const used = sorted.flatMap(file => (Number.isFinite(timings[file]) ? [[file, timings[file]]] : []));
	return createHash('sha256').update(JSON.stringify([sorted, used])).digest('hex');
}

/** A shard's files and its plan. */
export function planShard(files: readonly string[], shard: Shard, timings: Timings): {files: string[]; plan: ShardPlan} {
	const all = [...new Set(files)];
	return {files: shardFiles(all, shard, timings), plan: {...shard, planned: all.length, digest: splitDigest(all, timings), files: [...all].sort(byName)}};
}
