import {
	isFailure, schemaVersion, type AttemptResult, type RunEnd, type RunEvent, type RunStart, type TestEnd,
} from '../events.js';
import {emptyTotals, exitCodeFor, tally} from '../run/summary.js';

/** One run's events, read back from where it kept them (`name`: how a person gave it, a folder or a file). */
export type Source = {name: string; events: readonly RunEvent[]};

/** What a merge found wrong with the runs it was given; each also told as a note of the merged `run-start`. */
export type Problems = {
	/** Files that more than one run ran, with the runs (their labels) in order. */
	duplicates: Array<{file: string; runs: string[]}>;
	/** Files of a shard's plan that no run given ran. */
	missing: string[];
	/** Shards of a plan not among the runs given: `2/3`. */
	absentShards: string[];
	/** Shards planned from different inputs (files or timings), each with its runs; empty when they agree. */
	plans: Array<{digest: string; runs: string[]}>;
};

export const missingError = 'in the plan of the shards, but no shard given ran it';

const unique = (values: ReadonlyArray<string | undefined>) => [...new Set(values.filter((value): value is string => value !== undefined))];

/** What the runs are called in the merged report: their shard, else where they were read from. */
function labelOf(start: RunStart, name: string): string {
	return start.shard ? `shard ${start.shard.index}/${start.shard.count}` : name;
}

const attemptOf = ({status, exitCode, durationMs, error, reason, lost}: AttemptResult): AttemptResult =>
	({status, exitCode, durationMs, ...(error && {error}), ...(reason && {reason}), ...(lost && {lost})});

/** `ran`: the files a run started; `told`: those it ended, whether they started or not. */
function problemsOf(runs: ReadonlyArray<{label: string; start: RunStart; ran: Set<string>; told: Set<string>}>): Problems {
	const byFile = new Map<string, string[]>();
	for (const {label, ran} of runs) {
		for (const file of ran) {
			byFile.set(file, [...(byFile.get(file) ?? []), label]);
		}
	}

	const duplicates = [...byFile].filter(([, labels]) => labels.length > 1).map(([file, labels]) => ({file, runs: labels}));
	const planned = new Set(runs.flatMap(({start}) => start.shard?.files ?? []));
	const missing = [...planned].filter(file => !runs.some(({told}) => told.has(file))).sort();
	const sharded = runs.filter(({start}) => start.shard);
	const given = new Set(sharded.map(({start}) => `${start.shard!.index}/${start.shard!.count}`));
	const counts = unique(sharded.map(({start}) => String(start.shard!.count))).map(Number);
	const absentShards = counts.flatMap(count => Array.from({length: count}, (_, index) => `${index + 1}/${count}`)).filter(shard => !given.has(shard));
	const digests = new Map<string, string[]>();
	for (const {label, start} of sharded) {
		digests.set(start.shard!.digest, [...(digests.get(start.shard!.digest) ?? []), label]);
	}

	return {duplicates, missing, absentShards, plans: digests.size > 1 ? [...digests].map(([digest, labels]) => ({digest, runs: labels})) : []};
}

/** The problems as lines for a person, as the merged run's notes carry them. */
export function problemLines({duplicates, missing, absentShards, plans}: Problems): string[] {
	const few = (files: readonly string[]) => `${files.slice(0, 10).join(', ')}${files.length > 10 ? ` and ${files.length - 10} more` : ''}`;
	return [
		...(plans.length > 0 ? [`the shards were planned from different files or timings (${plans.map(({digest, runs}) => `${runs.join(', ')}: ${digest.slice(0, 12)}`).join('; ')}): a file may have run twice or not at all`] : []),
		...(absentShards.length > 0 ? [`no run of shard ${absentShards.join(', ')} was given`] : []),
		...(missing.length > 0 ? [`${missing.length === 1 ? '1 file' : `${missing.length} files`} of the plan ran in no shard given: ${few(missing)}`] : []),
		...duplicates.slice(0, 10).map(({file, runs}) => `${file} ran in ${runs.join(' and ')}: the last run's result counts`),
		...(duplicates.length > 10 ? [`${duplicates.length - 10} more files ran in more than one run`] : []),
	];
}

/**
Several runs (the shards of a pipeline, or a run and its re-runs) as the events of one run: one
`run-start` (the runs' engines named after their run, so that each keeps its lanes), every attempt,
one `test-end` per file and one `run-end` counted afresh. Runs are taken in the order they started; a
file that ran in more than one is told as one file run several times (the earlier runs' results as
`test-retry`s, the last one's counting, `flaky` when it passed after a failure), and a file of a
shard's plan that no run ran ends as an `error`, so that the merged run fails. Every such finding is
also a note of the `run-start`.
*/
export function mergeRuns(sources: readonly Source[]): {events: RunEvent[]; problems: Problems} {
	const runs = sources
		.map(({name, events}) => {
			const start = events.find((event): event is RunStart => event.type === 'run-start')!;
			const end = events.find((event): event is RunEnd => event.type === 'run-end');
			const told = new Set(events.flatMap(event => (event.type === 'test-end' ? [event.file] : [])));
			const ran = new Set(events.flatMap(event => (event.type === 'test-start' ? [event.file] : [])));
			return {name, events, start, end, ran, told, label: labelOf(start, name), from: Date.parse(start.startedAt)};
		})
		.sort((a, b) => a.from - b.from);
	const several = runs.length > 1;
	const engineName = (label: string, engine: string) => (several ? `${label}: ${engine}` : engine);
	const problems = problemsOf(runs);

	// A file's last run: where its test-end counts; in the runs before, its test-end is a test-retry.
	const lastRunOf = new Map<string, number>();
	for (const [index, {events}] of runs.entries()) {
		for (const event of events) {
			if (event.type === 'test-end') {
				lastRunOf.set(event.file, index);
			}
		}
	}

	const before = new Map<string, AttemptResult[]>();
	const offset = (file: string) => before.get(file)?.length ?? 0;
	const tests: RunEvent[] = runs.flatMap(({events, start, label}, index) => events.flatMap((event): RunEvent[] => {
		const engine = event.type === 'test-start' || event.type === 'test-retry' || event.type === 'part-end' || event.type === 'test-end'
			? engineName(label, event.engine ?? start.engine)
			: '';
		switch (event.type) {
			case 'test-start': {
				return [{...event, engine, attempt: event.attempt + offset(event.file)}];
			}

			case 'test-retry': {
				return [{...event, engine, attempt: event.attempt + offset(event.file)}];
			}

			case 'part-end': {
				return [{...event, engine, attempts: event.attempts + offset(event.file)}];
			}

			case 'test-end': {
				const {schema, type, attempts, earlier = [], ...result} = event;
				const all = [...(before.get(event.file) ?? []), ...earlier];
				if (lastRunOf.get(event.file) !== index) {
					before.set(event.file, [...all, attemptOf(result)]);
					return [{schema, type: 'test-retry', ...result, engine, attempt: all.length + 1, maxAttempts: all.length + 1}];
				}

				const flaky = result.status === 'passed' && all.some(attempt => !attempt.lost && isFailure(attempt.status));
				return [{schema, type, ...result, engine, ...(flaky && {status: 'flaky'}), attempts: all.length + 1, ...(all.length > 0 && {earlier: all})}];
			}

			default: {
				return [];
			}
		}
	}));

	const missed: TestEnd[] = problems.missing.map(file => ({
		schema: schemaVersion, type: 'test-end', file, status: 'error', exitCode: null, durationMs: 0,
		stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, error: missingError, attempts: 0,
	}));
	const ends = [...tests.filter((event): event is TestEnd => event.type === 'test-end'), ...missed];
	const from = Math.min(...runs.map(run => run.from));
	const to = Math.max(...runs.map(run => run.from + (run.end?.durationMs ?? 0)));
	const first = runs[0]!.start;
	const retries = Math.max(0, ...runs.map(({start}) => start.retries ?? 0));
	const start: RunStart = {
		schema: schemaVersion,
		type: 'run-start',
		runId: unique(runs.map(({start}) => start.runId)).join('+'),
		startedAt: first.startedAt,
		total: ends.length,
		concurrency: runs.reduce((sum, {start}) => sum + start.concurrency, 0),
		image: unique(runs.map(({start}) => start.image)).join(', '),
		engine: unique(runs.map(({start, label}) => engineName(label, start.engine))).join(', '),
		...(several && {engines: runs.flatMap(({start, label}) => (start.engines ?? [{name: start.engine, slots: start.concurrency}]).map(({name, slots}) => ({name: engineName(label, name), slots})))}),
		...(unique(runs.map(({start}) => start.command)).length > 0 && {command: unique(runs.map(({start}) => start.command)).join(' | ')}),
		...(unique(runs.map(({start}) => start.version)).length > 0 && {version: unique(runs.map(({start}) => start.version)).join(', ')}),
		notes: [
			`merged from ${runs.length === 1 ? '1 run' : `${runs.length} runs`}: ${runs.map(({label, name}) => (label === name ? name : `${label} (${name})`)).join(', ')}`,
			...runs.flatMap(({start, label}) => (start.notes ?? []).map(note => (several ? `${label}: ${note}` : note))),
			...problemLines(problems),
		],
		...(retries > 0 && {retries}),
	};
	const {summary, testDurationMs, tests: counted} = ends.reduce(tally, emptyTotals);
	const signal = runs.find(({end}) => end?.signal)?.end?.signal;
	// The runs read one list: an entry expired in one is expired in the merged run, and fails it as it failed that run.
	const expired = [...new Map(runs.flatMap(({end}) => end?.quarantineExpired ?? []).map(entry => [JSON.stringify(entry), entry])).values()];
	const end: RunEnd = {
		schema: schemaVersion,
		type: 'run-end',
		runId: start.runId,
		summary,
		durationMs: Math.max(0, to - from),
		testDurationMs,
		...(counted && {tests: counted}),
		exitCode: expired.length > 0 && !signal ? 1 : exitCodeFor(summary, signal),
		...(signal && {signal}),
		...(runs.some(({end}) => end?.bailed) && {bailed: true as const}),
		...(expired.length > 0 && {quarantineExpired: expired}),
	};
	return {events: [start, ...tests, ...missed, end], problems};
}
