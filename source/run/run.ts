import {
	EMPTY, NEVER, Observable, ReplaySubject, Subject, asyncScheduler, catchError, concat, connect, defer, finalize, first, ignoreElements,
	filter, map, merge, mergeMap, observeOn, queueScheduler, of, race, range, reduce, scan, take, tap, throwError,
	withLatestFrom, type SchedulerLike,
} from 'rxjs';
import type {Backend} from '../backends/backend.js';
import {backendFor, backends as registry, type Backends} from '../backends/registry.js';
import {
	schemaVersion, type CancelSignal, type PartEnd, type RunEnd, type RunEvent, type RunStart, type TestEnd, type TestResult, type Usage,
} from '../events.js';
import {resolveRunOptions} from '../options/resolve.js';
import {bailed} from '../options/settings/bail.js';
import type {ResolvedOptions, RunOptions} from '../options/types.js';
import {keptFolder} from '../plan/history.js';
import {plan, type Plan} from '../plan/plan.js';
import type {Timings} from '../plan/shard.js';
import {entered, inQueue, runQueued, type QueueRun} from './queued.js';
import {judgedByQuarantine, quarantined} from '../quarantine/verdict.js';
import {
	defaultLostAttempts, firstTurn, finalEvent, nextTurn, notRun, retriedOnFailure, retryEvent, runs, runsAgain, type RetryPolicy, type Task, type Turn,
} from './attempts.js';
import {joinParts, wholeAgain} from './parts.js';
import {fileFolder, partFolder} from './file-logs.js';
import {runJob, tailBytes} from './lifecycle.js';
import {runSpecs, type RunSpecs} from './specs.js';
import {halting} from './halting.js';
import {assign, emptySlots, type SlotSignal, type SlotStep} from './slots.js';
import {newTails} from './tail.js';
import {emptyTotals, exitCodeFor, tally} from './summary.js';
import {addUsage, emptyUsage, usageOf} from '../resources/usage.js';
import {version} from '../version.js';

export type RunContext = {
	/** Where the files run; when absent, the backend the options name (`backend`, `swarm`), as `backends` makes it. */
	backend?: Backend;
	/** The registry the options' backend is picked from: baleen's own, or `{...backends, mine}`. */
	backends?: Backends;
	/** The first signal it emits cancels the run gracefully; unsubscribing instead stops it at once. */
	cancel$?: Observable<CancelSignal>;
	/** Timeouts and live-output throttling run on it; a `TestScheduler` tests them in virtual time. */
	scheduler?: SchedulerLike;
	/** Told each file's spec once the run is planned, before its first file (the CLI keeps them for `baleen repro`). */
	planned?: (specs: RunSpecs) => void;
};

export type Handing = {
	/** Retries per file after its own failures, and after losing its engine. */
	policy?: RetryPolicy;
	/** After this many files ended failed, timed out or errored, no new attempt starts (`--bail`). */
	bail?: number;
	/** Once it emits, no new attempt starts (a cancel); replayed, so that it is known at once. */
	halt$?: Observable<unknown>;
	/** Told the task a slot takes ahead, as the slot's task starts, so that the backend can make it ready meanwhile. */
	ahead?: (task: Task, slot: number) => void;
};

/**
Every file through the slots, one task per slot at a time: a slot that frees takes the next task at
once (a sliding window, not batches). A task is a file, or one part of a file split by its tests. An
attempt that may be retried (see `runsAgain`) becomes a `test-retry` and the task runs again at once in
the same slot (only its failed tests, when the policy can pick them), so a retry never waits behind the
queue. Each file ends with exactly one `test-end`: a split file's once its last part has (each part
ending with a `part-end`), or after running whole when a part could not tell its tests (see parts.ts).
A slot frees at its task's end, so the next task starts while the backend still removes what the last
one left; the stream completes after every removal. Tasks whose turn comes after `halt$` or the bail
count do not run (`cancelled`), and a retry that would start after them does not either: the task ends
with the attempt before it.
With `ahead`, a slot whose task has started takes the next task ahead and `ahead` is told, so that the
backend makes it ready meanwhile; a slot that frees with nothing left to run takes a task another slot
took ahead (see slots.ts).
*/
export function runFiles(
	tasks: ReadonlyArray<string | Task>,
	slots: number,
	runOne: (file: string, slot: number, attempt: number, turn: Turn) => Observable<RunEvent>,
	{policy = {retries: 0, lost: defaultLostAttempts}, bail, halt$ = NEVER, ahead}: Handing = {},
): Observable<RunEvent> {
	return defer(() => {
		const turns = tasks.map(task => firstTurn(task));
		const signals = new Subject<SlotSignal>();
		const ends = new Subject<TestEnd>();
		const halted$ = halting(halt$, ends, bail);
		const haltedKnown = halted$.connect();
		// The parts of each split file that have ended, until its last one has, and why the file is to run whole, once one says.
		const partsEnded = new Map<string, {ends: PartEnd[]; whole: string | undefined}>();

		const free = (slot: number): Observable<never> => defer(() => {
			signals.next({type: 'free', slot});
			return EMPTY;
		});

		/** The file's one `test-end`, then its slot is free. */
		const end = (event: TestEnd, slot: number): Observable<RunEvent> => concat(defer(() => {
			ends.next(event);
			return of(event);
		}), free(slot));

		/** A task's last attempt ended: the file's end, or a part's (and the file's, or its whole run, after its last part). */
		const ended = (turn: Turn, result: TestResult, slot: number, halted: boolean): Observable<RunEvent> => {
			const final = finalEvent(turn, result, policy);
			const {part} = turn;
			if (!part) {
				return end({...final, ...(turn.split && {split: turn.split})}, slot);
			}

			const partEnd: PartEnd = {...final, type: 'part-end', part};
			const unit = policy.unit?.(turn.file);
			const before = partsEnded.get(turn.file);
			const endedSoFar = {
				ends: [...(before?.ends ?? []), partEnd],
				whole: before?.whole ?? wholeAgain(partEnd, turn.selection && unit && {selection: turn.selection, unit}),
			};
			if (endedSoFar.ends.length < part.count) {
				partsEnded.set(turn.file, endedSoFar);
				return concat(of(partEnd), free(slot));
			}

			partsEnded.delete(turn.file);
			const {whole} = endedSoFar;
			return concat(of(partEnd), whole && !halted
				? attempt(firstTurn({file: turn.file, split: {parts: part.count, whole}}), slot)
				: end(joinParts(endedSoFar.ends), slot));
		};

		const attempt = (turn: Turn, slot: number): Observable<RunEvent> => defer(() => runOne(turn.file, slot, turn.attempt, turn)).pipe(
			connect(events$ => merge(
				events$.pipe(filter(event => event.type !== 'test-end')),
				events$.pipe(filter(event => event.type === 'test-start'), take(1), tap(() => {
					signals.next({type: 'busy', slot});
				}), ignoreElements()),
				events$.pipe(first(event => event.type === 'test-end', undefined), withLatestFrom(halted$), mergeMap(([event, halted]) => {
					if (event?.type !== 'test-end') {
						return EMPTY;
					}

					const {schema, type, attempts, earlier, split, ...result} = event;
					if (halted || !runsAgain(result, turn, policy)) {
						return ended(turn, result, slot, halted);
					}

					const next = nextTurn(turn, result, policy);
					return concat(of(retryEvent(turn, result, policy, next)), attempt(next, slot));
				})),
			)),
		);

		// Signals are trampolined: tasks that end at once (not run after a halt) would otherwise recurse a frame per task.
		// They come first: a task may start (and its slot say so) while the slots are still being handed their first.
		return merge(signals.pipe(observeOn(queueScheduler)), range(0, slots).pipe(map((slot): SlotSignal => ({type: 'free', slot})))).pipe(
			withLatestFrom(halted$),
			scan(({slots}: SlotStep & {halted: boolean}, [signal, halted]) => ({...assign(slots, signal, ahead !== undefined && !halted), halted}), {slots: emptySlots(turns.length, slots), halted: false}),
			tap(step => {
				if (step.ahead) {
					ahead?.(turns[step.ahead.file]!, step.ahead.slot);
				}
			}),
			mergeMap(({run, halted}) => (run ? [{...run, halted}] : [])),
			take(turns.length),
			mergeMap(({file: index, slot, halted}) => {
				const turn = turns[index]!;
				return halted ? ended(turn, notRun(turn.file), slot, true) : attempt(turn, slot);
			}),
			finalize(() => {
				haltedKnown.unsubscribe();
			}),
		);
	});
}

/** With a queue, files are not split (a part is no file to hand out), and `--last-failed` picks a retried job's files from the queue's results. */
const queueing = (options: ResolvedOptions): ResolvedOptions => ({...options, split: 'off', lastFailed: false});

/** The queue's way of running the files, in `runFiles`' shape: the tasks planned are in the queue, and each slot pulls from there. */
const queuedFiles = (run: QueueRun): typeof runFiles => (_tasks, slots, runOne, {policy, bail, halt$}: Handing = {}) =>
	runQueued(run, slots, runOne, {...(policy && {policy}), ...(bail !== undefined && {bail}), ...(halt$ && {halt$})});

const withUsage = (usage: Usage | undefined) => usage && {usage};

/** Appends `run-end`, from the `test-end`s the stream carried, counted as every view counts them. */
function withRunEnd(startedAt: number, signal$: Observable<CancelSignal | undefined>, {runId, failOnFlaky, bail, memory}: Pick<ResolvedOptions, 'runId' | 'failOnFlaky' | 'bail' | 'memory'>) {
	return (events$: Observable<RunEvent>): Observable<RunEvent> => events$.pipe(connect(shared => merge(
		shared,
		// The usage tally is added to in place, so each subscription gets its own (see addUsage).
		defer(() => shared.pipe(
			reduce(({totals, used}, event) => ({totals: event.type === 'test-end' ? tally(totals, event) : totals, used: addUsage(used, event)}), {totals: emptyTotals, used: emptyUsage()}),
			mergeMap(({totals: {summary, testDurationMs, tests}, used}) => signal$.pipe(map((signal): RunEnd => ({
				schema: schemaVersion,
				type: 'run-end',
				runId,
				summary,
				testDurationMs,
				...(tests && {tests}),
				durationMs: Date.now() - startedAt,
				exitCode: exitCodeFor(summary, signal, failOnFlaky),
				...(signal && {signal}),
				...(!signal && bailed(summary, bail) && {bailed: true as const}),
				...withUsage(usageOf(used, memory)),
			})))),
		)),
	)));
}

/** The plan, after the events made while planning (a build's); unsubscribing aborts a build under way. */
function planning(options: ResolvedOptions, backend: Backend, shared?: Timings): Observable<{event: RunEvent} | {plan: Plan}> {
	return new Observable(subscriber => {
		const abort = new AbortController();
		plan(options, backend, event => {
			subscriber.next({event});
		}, abort.signal, shared).then(planned => {
			subscriber.next({plan: planned});
			subscriber.complete();
		}, (error: unknown) => {
			subscriber.error(error);
		});
		return () => {
			abort.abort();
		};
	});
}

/**
The whole run as one cold Observable of events: subscribing checks the options and the backend
(failing with a `BaleenError` before any file runs when something is wrong), then runs the files.
*/
export function run(given: RunOptions | ResolvedOptions, {backend: chosen, backends = registry, cancel$ = NEVER, scheduler = asyncScheduler, planned}: RunContext = {}): Observable<RunEvent> {
	return defer(() => {
		const options = resolveRunOptions(given);
		const backend = chosen ?? backendFor(options, backends);
		// Replayed, so that a file whose turn comes after the cancel sees it at once.
		const cancelled$ = new ReplaySubject<CancelSignal>(1);
		const cancelSubscription = cancel$.pipe(take(1)).subscribe(cancelled$);
		const signal$ = race(cancelled$, of(undefined));
		// What the backend keeps across files goes before run-end, and on every other way out too.
		const closed$ = defer(async () => backend.close()).pipe(ignoreElements());

		return inQueue(options, queue => planning(queue ? queueing(options) : options, backend, queue?.timings).pipe(
			// The queue is entered with the files planned: one that holds others refuses this job.
			mergeMap(step => ('event' in step || !queue || step.plan.files.length === 0
				? of({step, entry: undefined})
				: defer(async () => entered(queue, step.plan.files, options)).pipe(map(entry => ({step, entry}))))),
			// A plan that fails after the backend made something (a slot's sandbox) fails once that is gone.
			catchError((error: unknown) => concat(closed$, throwError(() => error))),
			mergeMap(({step, entry}) => {
				if ('event' in step) {
					return of(step.event);
				}

				const {files, tasks, concurrency, notes, engines, shard, expectedMs, job, unit, imageId} = step.plan;
				const {runId, retries, bail, outputDir, resultsFormat} = options;
				if (files.length > 0) {
					planned?.(runSpecs(runId, files, file => job(file, 0, {repro: true}).spec, {imageId, engines: engines?.map(({name}) => name)}));
				}

				const policy: RetryPolicy = {retries, lost: defaultLostAttempts, ...(unit && {unit})};
				const jobOf = (task: Task & Pick<Turn, 'rerun'>, slot: number) => {
					const selection = runs(task);
					return job(task.file, slot, {...(task.part && {part: task.part}), ...(selection && {selection})});
				};
				// --keep-failed keeps the last attempt's container: one a failure sends round again is not
				// (under --bail, each failed one's: a bail may stop the retry that would have kept one).
				const turnJob = (turn: Turn, slot: number) => {
					const made = jobOf(turn, slot);
					return made.keep && bail === undefined && retriedOnFailure(turn, policy) ? {...made, keep: false} : made;
				};
				const slotTails = Array.from({length: concurrency}, () => newTails(tailBytes));
				const startedAt = Date.now();
				const start: RunStart = {
					schema: schemaVersion,
					type: 'run-start',
					runId,
					startedAt: new Date(startedAt).toISOString(),
					total: files.length,
					concurrency,
					image: options.image,
					engine: backend.name,
					command: options.command,
					version,
					...(engines && {engines}),
					...((notes.length > 0 || entry) && {notes: [...notes, ...(entry ? [entry.note] : [])]}),
					...(retries > 0 && {retries}),
					...(bail !== undefined && {bail}),
					...(shard && {shard}),
					...(expectedMs && {expectedMs}),
				};
				return concat(
					of(start),
					concat(
						(queue && entry ? queuedFiles({
							queue: queue.queue,
							own: entry.own,
							leaseMs: options.queueLeaseSeconds * 1000,
							boundMs: options.engineWaitSeconds * 1000,
							scheduler,
						}) : runFiles)(
							tasks,
							concurrency,
							(file, slot, attempt, turn) => runJob({...turnJob(turn, slot), ...(attempt > 1 && {fresh: true})}, backend, cancelled$, scheduler, {
								attempt,
								maxAttempts: retries + 1,
								slot,
								...(turn.part && {part: turn.part}),
								outputFolder: outputDir === undefined ? undefined : partFolder(fileFolder(outputDir, file), turn.part),
								resultsFormat,
								...(options.keepFailed && {keptFolder: keptFolder(options.history, runId)}),
							}, slotTails[slot]).pipe(
								map(event => (event.type === 'test-end' ? {...event, endedAt: scheduler.now()} : event)),
							),
							{policy, bail, halt$: cancelled$, ...(backend.ahead && {ahead: (task: Task, slot: number) => backend.ahead!(jobOf(task, slot))})},
						),
						closed$,
					).pipe(quarantined(options), withRunEnd(startedAt, signal$, options), judgedByQuarantine(options, scheduler)),
				);
			}),
		)).pipe(
			finalize(() => {
				cancelSubscription.unsubscribe();
				// Failed or unsubscribed: nobody waits any more, but what the backend keeps still goes (once more is nothing).
				closed$.pipe(catchError(() => EMPTY)).subscribe();
			}),
		);
	});
}
