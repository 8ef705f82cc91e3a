import {
	asyncScheduler, concatMap, defer, exhaustMap, first, lastValueFrom, merge, timeout, throwError, timer, type SchedulerLike,
} from 'rxjs';
import {BaleenError} from '../errors.js';
import {schemaVersion, type RunEnd, type RunEvent, type RunStart, type TestEnd} from '../events.js';
import {emptyTotals, exitCodeFor, tally} from '../run/summary.js';
import {version} from '../version.js';
import type {Queue, QueueProgress, QueueState} from './queue.js';

/** How often `baleen report --queue` looks whether the queue is drained, besides each change it hears of. */
const drainPollMs = 1000;

/** Every file has its result, or at least none is waiting or running any more. */
const drained = ({files, pending, leased}: QueueProgress) => files > 0 && pending === 0 && leased === 0;

/** A file no job wrote a result for, though the queue holds none to run (its result lost with the server's data). */
const noResult = (file: string): TestEnd => ({
	schema: schemaVersion, type: 'test-end', file, status: 'error', exitCode: null, durationMs: 0,
	stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, error: 'no job of the queue wrote its result', attempts: 1,
});

/**
The queue once drained (no file pending, none leased), looked at on each change it hears of and every
second, until `waitMs` has passed: then a `BaleenError` that tells what is left (or that the queue does
not exist).
*/
export async function drainedState(queue: Queue, waitMs: number, scheduler: SchedulerLike = asyncScheduler): Promise<QueueState> {
	const stuck = ({files, pending, leased, results}: QueueProgress) => new BaleenError(files === 0
		? `the queue ${queue.address.shown} holds no files: no job put them there, or they expired`
		: `the queue ${queue.address.shown} is not drained after ${waitMs / 1000} s: ${pending} files pending, ${leased} running, ${results} of ${files} with a result`);
	return lastValueFrom(merge(timer(0, drainPollMs, scheduler), queue.changes()).pipe(
		exhaustMap(async () => queue.progress()),
		first(drained),
		timeout({first: waitMs, scheduler, with: () => defer(async () => queue.progress()).pipe(concatMap(progress => throwError(() => stuck(progress))))}),
		concatMap(async () => queue.state()),
	));
}

/**
The whole run a queue saw, as the events of one run: its `run-start` (what the first job said of it),
each file's result once, in the queue's order, and the `run-end` counted from them. Results written
after the one that counts (a lost lease's, a retried job's earlier ones) are told as a note.
*/
export function queueRunEvents(state: QueueState, name: string, shown: string): RunEvent[] {
	const ends = state.files.map(file => state.results.get(file) ?? noResult(file));
	const missing = ends.filter(end => !state.results.has(end.file)).length;
	const notes = [
		`queue ${shown}: ${state.files.length} files`,
		...(state.repeated.length > 0 ? [`${state.repeated.length} more results came after the one that counts (a lost job's file run again, or a retried job's)`] : []),
		...(missing > 0 ? [`${missing} files have no result in the queue`] : []),
	];
	const start: RunStart = {
		schema: schemaVersion,
		type: 'run-start',
		runId: name,
		startedAt: state.about?.startedAt ?? new Date().toISOString(),
		total: state.files.length,
		concurrency: 0,
		image: state.about?.image ?? '',
		engine: `queue ${name}`,
		...(state.about?.command !== undefined && {command: state.about.command}),
		version,
		notes,
	};
	const totals = ends.reduce((sum, end) => tally(sum, end), emptyTotals);
	const lastEnd = Math.max(Date.parse(start.startedAt), ...ends.map(end => end.endedAt ?? 0));
	const end: RunEnd = {
		schema: schemaVersion,
		type: 'run-end',
		runId: name,
		summary: totals.summary,
		testDurationMs: totals.testDurationMs,
		...(totals.tests && {tests: totals.tests}),
		durationMs: Math.max(0, lastEnd - Date.parse(start.startedAt)),
		exitCode: exitCodeFor(totals.summary),
	};
	return [start, ...ends, end];
}
