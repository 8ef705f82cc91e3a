import {hostname} from 'node:os';
import path from 'node:path';
import {
	EMPTY, NEVER, Observable, ReplaySubject, Subject, asyncScheduler, catchError, concat, connect, defer, finalize, first, ignoreElements,
	filter, map, merge, mergeMap, observeOn, queueScheduler, of, race, range, reduce, scan, take, tap, throwError, type SchedulerLike,
} from 'rxjs';
import {containerCommand as commandLine} from '../command.js';
import {discover} from '../discover/host.js';
import type {Backend, Job} from '../backends/backend.js';
import {defaultBackend} from '../backends/default.js';
import {BaleenError} from '../errors.js';
import {findInImage} from '../discover/image.js';
import {
	schemaVersion, type CancelSignal, type RunEnd, type RunEvent, type RunStart, type TestEnd,
} from '../events.js';
import {resolveRunOptions} from '../options/resolve.js';
import type {ResolvedOptions, RunOptions} from '../options/types.js';
import {
	defaultLostAttempts, firstTurn, finalEvent, nextTurn, notRun, retryEvent, runsAgain, type RetryPolicy, type Turn,
} from './attempts.js';
import {inImageList, listedFiles} from '../plan/file-list.js';
import {readKnown} from '../plan/history.js';
import {select} from '../plan/select.js';
import type {ShardPlan} from '../plan/shard.js';
import {runJob, tailBytes} from './lifecycle.js';
import {fileFolder} from './output-dir.js';
import {assign, emptySlots, type SlotSignal, type SlotStep} from './slots.js';
import {newTails} from './tail.js';
import {emptyTotals, exitCodeFor, tally} from './summary.js';

export type RunContext = {
	/** Where the files run; the default backend (the engine of DOCKER_HOST) when absent. */
	backend?: Backend;
	/** The first signal it emits cancels the run gracefully; unsubscribing instead stops it at once. */
	cancel$?: Observable<CancelSignal>;
	/** Timeouts and live-output throttling run on it; a `TestScheduler` tests them in virtual time. */
	scheduler?: SchedulerLike;
};

/** Everything checked and decided before the first file: what the run will do. */
export type Plan = {
	runId: string;
	files: string[];
	concurrency: number;
	timeoutMs: number;
	/** Lines for a person about what could not be done as asked. */
	notes: string[];
	policy: RetryPolicy;
	bail?: number;
	failOnFlaky: boolean;
	/** Where the files run, when that is more than one place. */
	engines?: Array<{name: string; slots: number}>;
	shard?: ShardPlan;
	/** Each file's expected milliseconds, from the timings of earlier runs, when any are known. */
	expectedMs?: Record<string, number>;
	job: (file: string, slot: number) => Job;
	/** `--output-dir`: the folder of a file's whole output and artifacts. */
	outputFolder: (file: string) => string | undefined;
};

/** The margin a janitor should allow past a job's own timeout before it calls what it left abandoned. */
const deadlineMarginMs = 60_000;
/** How long a slot's sandbox may be needed when the number of files is not known yet (--find-in-image). */
const unknownRunMs = 24 * 60 * 60 * 1000;

/** The files known before the backend is asked anything: a list given as such, or the patterns matched on the host; undefined when they are to be found in the image. */
async function foundBeforeBackend(options: ResolvedOptions): Promise<string[] | undefined> {
	if (options.files) {
		return options.findInImage ? inImageList(options.files) : listedFiles(options.files, options.cwd);
	}

	return options.findInImage ? undefined : discover(options.patterns, options.cwd);
}

/** What a job brings out of its container: the framework's results file, and the artifacts into the file's folder. */
function copyOutFor(options: ResolvedOptions, file: string): Pick<Job, 'copyOut'> {
	const artifacts = options.outputDir !== undefined && options.artifacts
		? {paths: [...options.artifacts], into: path.join(fileFolder(options.outputDir, file), 'artifacts')}
		: undefined;
	return options.results === undefined && !artifacts ? {} : {copyOut: {
		...(options.results !== undefined && {results: options.results}),
		...(artifacts && {artifacts}),
	}};
}

/**
`emit` passes on what happens before the run starts (a build's output); aborting `signal` stops a build.
*/
export async function plan(given: RunOptions | ResolvedOptions, backend: Backend, emit: (event: RunEvent) => void = () => undefined, signal?: AbortSignal): Promise<Plan> {
	const options = resolveRunOptions(given);
	const {cwd, image, command, runId} = options;
	const env = [...options.env];
	const binds = [...options.mounts];
	const timeoutMs = options.timeoutSeconds * 1000;

	const patterns = options.patterns.length > 0 ? options.patterns.join(' ') : '(no pattern given)';
	const noFile = (where: string) => new BaleenError(`no file matches ${patterns} in ${where}`);
	const {history} = options;
	const narrow = (found: readonly string[]) => {
		const {recorded, current} = readKnown(history);
		return select(found, {
			exclude: options.exclude,
			shard: options.shard,
			...(options.lastFailed && {lastFailed: {run: current.lastRun, where: history.lastRun}}),
			// Every shard splits by the timings as recorded, which no shard changes; the shards' records count from the next run on.
			timings: options.shard ? recorded.timings : current.timings,
		});
	};
	// Host files are looked for first, so a typo is told before the backend is asked anything.
	const found = await foundBeforeBackend(options);
	if (found?.length === 0) {
		throw noFile(cwd);
	}

	let selection = found && narrow(found);
	const policy: RetryPolicy = {retries: options.retries, lost: defaultLostAttempts};
	const nothingToRun = (notes: string[], shard: ShardPlan | undefined): Plan => ({
		runId, files: [], concurrency: 0, timeoutMs, notes, policy, failOnFlaky: options.failOnFlaky, ...(shard && {shard}), outputFolder: () => undefined, job() {
			throw new Error('a plan without files has no jobs');
		},
	});
	if (selection?.files.length === 0) {
		return nothingToRun(selection.notes, selection.shard);
	}

	let files = selection?.files ?? [];

	const owner = `${hostname()}:${process.pid}`;
	// A word of the caller's (a CI job's id, a test suite's) that tells its runs from others' on a shared engine.
	const tag = process.env.BALEEN_TAG;
	const labels = (lifetimeMs: number) => ({
		'baleen.run': runId,
		'baleen.owner': owner,
		...(tag && {'baleen.tag': tag}),
		'baleen.deadline': new Date(Date.now() + lifetimeMs + deadlineMarginMs).toISOString(),
	});

	const context = options.build === undefined ? undefined : path.resolve(cwd, options.build);
	if (context) {
		emit({schema: schemaVersion, type: 'build-start', image, context});
	}

	const prepared = await backend.prepare({
		image,
		network: options.network,
		binds,
		engineWaitMs: options.engineWaitSeconds * 1000,
		signal,
		...(context && {build: {directory: context, labels: {'baleen.context': context}, onLine(line: string) {
			emit({schema: schemaVersion, type: 'build-output', image, line});
		}}}),
		// A slot's sandbox lives as long as the run could: every file to its timeout, one after another.
		...(!options.freshNetwork && {sandboxes: {labels: labels(files.length > 0 ? files.length * timeoutMs : unknownRunMs)}}),
	});

	if (!selection) {
		if (options.patterns.length === 0) {
			throw new BaleenError('--find-in-image needs patterns to match in the image, e.g. \'features/**/*.feature\'');
		}

		const inImage = await findInImage({
			patterns: options.patterns,
			spec: {image, env, workdir: options.workdir, binds, labels: {...labels(timeoutMs), 'baleen.role': 'find'}, network: options.network},
			timeoutMs,
		}, backend);
		if (inImage.length === 0) {
			throw noFile(`the image ${image}${options.workdir ? ` at ${options.workdir}` : ''}`);
		}

		selection = narrow(inImage);
		files = selection.files;
		if (files.length === 0) {
			return nothingToRun([...prepared.notes, ...selection.notes], selection.shard);
		}
	}

	// No more slots than files: run-start tells how many files will really run at once.
	const concurrency = Math.min(options.concurrency ?? prepared.slots, files.length);

	return {
		runId,
		files,
		concurrency,
		timeoutMs,
		notes: prepared.notes,
		outputFolder: file => (options.outputDir === undefined ? undefined : fileFolder(options.outputDir, file)),
		policy,
		...(options.bail !== undefined && {bail: options.bail}),
		failOnFlaky: options.failOnFlaky,
		...(prepared.engines && {engines: prepared.engines}),
		...(selection?.shard && {shard: selection.shard}),
		...(selection?.expectedMs && {expectedMs: selection.expectedMs}),
		job: (file, slot) => ({
			file,
			timeoutMs,
			slot,
			spec: {
				image,
				cmd: commandLine(command, file, options.before),
				env: [...env, `BALEEN_FILE=${file}`, `BALEEN_RUN_ID=${runId}`],
				workdir: options.workdir,
				binds,
				// Twice its timeout: the container may be made ahead while the slot's file before it runs out its own.
				labels: {...labels(2 * timeoutMs), 'baleen.file': file},
				network: options.network,
				...(Object.keys(options.limits).length > 0 && {limits: options.limits}),
			},
			...copyOutFor(options, file),
		}),
	};
}

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

const isFailure = (event: TestEnd) => event.status === 'failed' || event.status === 'timed-out' || event.status === 'error';

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
	{policy = {retries: 0, lost: defaultLostAttempts}, bail = Infinity, halt$ = NEVER, ahead}: Handing = {},
): Observable<RunEvent> {
	return defer(() => {
		const signals = new Subject<SlotSignal>();
		let halted = false;
		let failures = 0;
		const halting = halt$.pipe(take(1)).subscribe(() => {
			halted = true;
		});

		/** The file's one `test-end`, then its slot is free. */
		const end = (event: TestEnd, slot: number): Observable<RunEvent> => {
			failures += isFailure(event) ? 1 : 0;
			halted ||= failures >= bail;
			return concat(of(event), defer(() => {
				signals.next({type: 'free', slot});
				return EMPTY;
			}));
		};

		const attempt = (turn: Turn, slot: number): Observable<RunEvent> => defer(() => runOne(turn.file, slot, turn.attempt)).pipe(
			connect(events$ => merge(
				events$.pipe(filter(event => event.type !== 'test-end')),
				events$.pipe(filter(event => event.type === 'test-start'), take(1), tap(() => {
					signals.next({type: 'busy', slot});
				}), ignoreElements()),
				events$.pipe(first(event => event.type === 'test-end', undefined), mergeMap(event => {
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
			scan(({slots}: SlotStep, signal) => assign(slots, signal, ahead !== undefined && !halted), {slots: emptySlots(files.length, slots)}),
			tap(step => {
				if (step.ahead) {
					ahead?.(files[step.ahead.file]!, step.ahead.slot);
				}
			}),
			mergeMap(({run}) => (run ? [run] : [])),
			take(files.length),
			mergeMap(({file: index, slot}) => {
				const file = files[index]!;
				return halted ? end(finalEvent(firstTurn(file), notRun(file)), slot) : attempt(firstTurn(file), slot);
			}),
			finalize(() => {
				halting.unsubscribe();
			}),
		);
	});
}

/** Appends `run-end`, from the `test-end`s the stream carried, counted as every view counts them. */
function withRunEnd(runId: string, startedAt: number, signal$: Observable<CancelSignal | undefined>, {failOnFlaky, bail = Infinity}: Pick<Plan, 'failOnFlaky' | 'bail'>) {
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
				...(!signal && summary.cancelled > 0 && summary.failed + summary.timedOut + summary.errored >= bail && {bailed: true as const}),
			})))),
		),
	)));
}

/** The plan, after the events made while planning (a build's); unsubscribing aborts a build under way. */
function planning(options: RunOptions | ResolvedOptions, backend: Backend): Observable<{event: RunEvent} | {plan: Plan}> {
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
export function run(options: RunOptions | ResolvedOptions, {backend = defaultBackend(options.engines), cancel$ = NEVER, scheduler = asyncScheduler}: RunContext = {}): Observable<RunEvent> {
	return defer(() => {
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

				const {runId, files, concurrency, notes, engines, shard, expectedMs, job, outputFolder, policy, bail, failOnFlaky} = step.plan;
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
					...(engines && {engines}),
					...(notes.length > 0 && {notes}),
					...(policy.retries > 0 && {retries: policy.retries}),
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
							(file, slot, attempt) => runJob(job(file, slot), backend, cancelled$, scheduler, {attempt, maxAttempts: policy.retries + 1, outputFolder: outputFolder(file)}, slotTails[slot]),
							{policy, bail, halt$: cancelled$, ...(backend.ahead && {ahead: (file: string, slot: number) => backend.ahead!(job(file, slot))})},
						),
						closed$,
					).pipe(withRunEnd(runId, startedAt, signal$, {failOnFlaky, bail})),
				);
			}),
			finalize(() => {
				cancelSubscription.unsubscribe();
				void backend.close().catch(() => undefined);
			}),
		);
	});
}
