import {
	EMPTY, NEVER, Observable, ReplaySubject, Subject, asyncScheduler, catchError, concat, connect, connectable, defer, finalize, first, ignoreElements,
	filter, map, merge, mergeMap, observeOn, queueScheduler, of, race, range, reduce, scan, startWith, take, tap, throwError,
	withLatestFrom, type Connectable, type SchedulerLike,
} from 'rxjs';
import type {Backend} from '../backends/backend.js';
import {backendFor, backends as registry, type Backends} from '../backends/registry.js';
import {
	schemaVersion, type CancelSignal, type RunEnd, type RunEvent, type RunStart, type TestEnd,
} from '../events.js';
import {resolveRunOptions} from '../options/resolve.js';
import {bailReached, bailed, countsForBail} from '../options/settings/bail.js';
import type {ResolvedOptions, RunOptions} from '../options/types.js';
import {plan, type Plan} from '../plan/plan.js';
import {judgedByQuarantine, quarantined} from '../quarantine/verdict.js';
import {
	defaultLostAttempts, firstTurn, finalEvent, nextTurn, notRun, retryEvent, runsAgain, type RetryPolicy, type Turn,
} from './attempts.js';
import {fileFolder} from './file-logs.js';
import {runJob, tailBytes} from './lifecycle.js';
import {assign, emptySlots, type SlotSignal, type SlotStep} from './slots.js';
import {newTails} from './tail.js';
import {emptyTotals, exitCodeFor, tally} from './summary.js';
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
};

export type Handing = {
	/** Retries per file after its own failures, and after losing its engine. */
	policy?: RetryPolicy;
	/** After this many files ended failed, timed out or errored, no new attempt starts (`--bail`). */
	bail?: number;
	/** Once it emits, no new attempt starts (a cancel); replayed, so that it is known at once. */
	halt$?: Observable<unknown>;
	/** Told the file a slot takes ahead, as the slot's file starts, so that the backend can make it ready meanwhile. */
	ahead?: (file: string, slot: number) => void;
};

/**
Every file through the slots, one file per slot at a time: a slot that frees takes the next file at
once (a sliding window, not batches). An attempt that may be retried (see `runsAgain`) becomes a
`test-retry` and the file runs again at once in the same slot, so a retry never waits behind the
queue; each file ends with exactly one `test-end`. A slot frees at that `test-end`, so the next file
starts while the backend still removes what the last one left; the stream completes after every
removal. Files whose turn comes after `halt$` or the bail count do not run (`cancelled`), and a
retry that would start after them does not either: the file ends with the attempt before it.
With `ahead`, a slot whose file has started takes the next file ahead and `ahead` is told, so that the
backend makes it ready meanwhile; a slot that frees with nothing left to run takes a file another slot
took ahead (see slots.ts).
*/
export function runFiles(
	files: readonly string[],
	slots: number,
	runOne: (file: string, slot: number, attempt: number) => Observable<RunEvent>,
	{policy = {retries: 0, lost: defaultLostAttempts}, bail, halt$ = NEVER, ahead}: Handing = {},
): Observable<RunEvent> {
	return defer(() => {
		const signals = new Subject<SlotSignal>();
		const ends = new Subject<TestEnd>();
		const halted$ = halting(halt$, ends, bail);
		const haltedKnown = halted$.connect();

		/** The file's one `test-end`, then its slot is free. */
		const end = (event: TestEnd, slot: number): Observable<RunEvent> => concat(defer(() => {
			ends.next(event);
			return of(event);
		}), defer(() => {
			signals.next({type: 'free', slot});
			return EMPTY;
		}));

		const attempt = (turn: Turn, slot: number): Observable<RunEvent> => defer(() => runOne(turn.file, slot, turn.attempt)).pipe(
			connect(events$ => merge(
				events$.pipe(filter(event => event.type !== 'test-end')),
				events$.pipe(filter(event => event.type === 'test-start'), take(1), tap(() => {
					signals.next({type: 'busy', slot});
				}), ignoreElements()),
				events$.pipe(first(event => event.type === 'test-end', undefined), withLatestFrom(halted$), mergeMap(([event, halted]) => {
					if (event?.type !== 'test-end') {
						return EMPTY;
					}

					const {schema, type, attempts, earlier, ...result} = event;
					return !halted && runsAgain(result, turn, policy)
						? concat(of(retryEvent(turn, result, policy)), attempt(nextTurn(turn, result), slot))
						: end(finalEvent(turn, result), slot);
				})),
			)),
		);

		// Signals are trampolined: files that end at once (not run after a halt) would otherwise recurse a frame per file.
		// They come first: a file may start (and its slot say so) while the slots are still being handed their first.
		return merge(signals.pipe(observeOn(queueScheduler)), range(0, slots).pipe(map((slot): SlotSignal => ({type: 'free', slot})))).pipe(
			withLatestFrom(halted$),
			scan(({slots}: SlotStep & {halted: boolean}, [signal, halted]) => ({...assign(slots, signal, ahead !== undefined && !halted), halted}), {slots: emptySlots(files.length, slots), halted: false}),
			tap(step => {
				if (step.ahead) {
					ahead?.(files[step.ahead.file]!, step.ahead.slot);
				}
			}),
			mergeMap(({run, halted}) => (run ? [{...run, halted}] : [])),
			take(files.length),
			mergeMap(({file: index, slot, halted}) => {
				const file = files[index]!;
				return halted ? end(finalEvent(firstTurn(file), notRun(file)), slot) : attempt(firstTurn(file), slot);
			}),
			finalize(() => {
				haltedKnown.unsubscribe();
			}),
		);
	});
}

/**
Whether new attempts are to start no more, now and from then on: not after `halt$`, nor once as many
files as `bail` ended without passing (their `ends`). Replayed to each who asks, once connected.
*/
function halting(halt$: Observable<unknown>, ends: Observable<TestEnd>, bail: number | undefined): Connectable<boolean> {
	const bailed$ = ends.pipe(
		scan((failures, event) => failures + (countsForBail(event.status) ? 1 : 0), 0),
		filter(failures => bailReached(failures, bail)),
	);
	return connectable(merge(halt$, bailed$).pipe(take(1), map(() => true), startWith(false)), {connector: () => new ReplaySubject(1)});
}

/** Appends `run-end`, from the `test-end`s the stream carried, counted as every view counts them. */
function withRunEnd(startedAt: number, signal$: Observable<CancelSignal | undefined>, {runId, failOnFlaky, bail}: Pick<ResolvedOptions, 'runId' | 'failOnFlaky' | 'bail'>) {
	return (events$: Observable<RunEvent>): Observable<RunEvent> => events$.pipe(connect(shared => merge(
		shared,
		shared.pipe(
			reduce((totals, event) => event.type === 'test-end' ? tally(totals, event) : totals, emptyTotals),
			mergeMap(({summary, testDurationMs, tests}) => signal$.pipe(map((signal): RunEnd => ({
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
			})))),
		),
	)));
}

/** The plan, after the events made while planning (a build's); unsubscribing aborts a build under way. */
function planning(options: ResolvedOptions, backend: Backend): Observable<{event: RunEvent} | {plan: Plan}> {
	return new Observable(subscriber => {
		const abort = new AbortController();
		plan(options, backend, event => {
			subscriber.next({event});
		}, abort.signal).then(planned => {
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
export function run(given: RunOptions | ResolvedOptions, {backend: chosen, backends = registry, cancel$ = NEVER, scheduler = asyncScheduler}: RunContext = {}): Observable<RunEvent> {
	return defer(() => {
		const options = resolveRunOptions(given);
		const backend = chosen ?? backendFor(options, backends);
		// Replayed, so that a file whose turn comes after the cancel sees it at once.
		const cancelled$ = new ReplaySubject<CancelSignal>(1);
		const cancelSubscription = cancel$.pipe(take(1)).subscribe(cancelled$);
		const signal$ = race(cancelled$, of(undefined));
		// What the backend keeps across files goes before run-end, and on every other way out too.
		const closed$ = defer(async () => backend.close()).pipe(ignoreElements());

		return planning(options, backend).pipe(
			// A plan that fails after the backend made something (a slot's sandbox) fails once that is gone.
			catchError((error: unknown) => concat(closed$, throwError(() => error))),
			mergeMap(step => {
				if ('event' in step) {
					return of(step.event);
				}

				const {files, concurrency, notes, engines, shard, expectedMs, job} = step.plan;
				const {runId, retries, bail, outputDir, resultsFormat} = options;
				const policy: RetryPolicy = {retries, lost: defaultLostAttempts};
				// Each slot's files one after another keep their output in the slot's tails: no allocation per file.
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
					...(notes.length > 0 && {notes}),
					...(retries > 0 && {retries}),
					...(bail !== undefined && {bail}),
					...(shard && {shard}),
					...(expectedMs && {expectedMs}),
				};
				return concat(
					of(start),
					concat(
						runFiles(
							files,
							concurrency,
							(file, slot, attempt) => runJob(job(file, slot), backend, cancelled$, scheduler, {attempt, maxAttempts: retries + 1, slot, outputFolder: outputDir === undefined ? undefined : fileFolder(outputDir, file), resultsFormat}, slotTails[slot]).pipe(
								map(event => (event.type === 'test-end' ? {...event, endedAt: scheduler.now()} : event)),
							),
							{policy, bail, halt$: cancelled$, ...(backend.ahead && {ahead: (file: string, slot: number) => backend.ahead!(job(file, slot))})},
						),
						closed$,
					).pipe(quarantined(options), withRunEnd(startedAt, signal$, options), judgedByQuarantine(options, scheduler)),
				);
			}),
			finalize(() => {
				cancelSubscription.unsubscribe();
				// Failed or unsubscribed: nobody waits any more, but what the backend keeps still goes (once more is nothing).
				closed$.pipe(catchError(() => EMPTY)).subscribe();
			}),
		);
	});
}
