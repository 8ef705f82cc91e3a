import {randomUUID} from 'node:crypto';
import {hostname} from 'node:os';
import path from 'node:path';
import {
	NEVER, Observable, ReplaySubject, concat, connect, defer, finalize, from, map, merge, mergeMap, of, race, reduce, take,
} from 'rxjs';
import {containerCommand} from '../command.js';
import {discover} from '../discover.js';
import {errorMessage, type Engine} from '../engine/engine.js';
import {dockerEngine} from '../engine/docker.js';
import {buildImage} from '../build.js';
import {BaleenError} from '../errors.js';
import {findInImage} from '../find-in-image.js';
import {
	schemaVersion, type CancelSignal, type RunEnd, type RunEvent, type RunStart,
} from '../events.js';
import {
	defaultTimeoutSeconds, parseConcurrency, parseEnv, parseMount, parseTimeout, requireText, type RunOptions,
} from '../options.js';
import {runInContainer, type TestJob} from './lifecycle.js';
import {emptyTotals, exitCodeFor, tally} from './summary.js';

export type RunContext = {
	engine?: Engine;
	/** The first signal it emits cancels the run gracefully; unsubscribing instead stops it at once. */
	cancel$?: Observable<CancelSignal>;
};

/** Everything checked and decided before the first container: what the run will do. */
export type Plan = {
	runId: string;
	files: string[];
	concurrency: number;
	timeoutMs: number;
	job: (file: string) => TestJob;
};

/** The margin a janitor should allow past a container's own timeout before it calls it abandoned. */
const deadlineMarginMs = 60_000;

async function reach(engine: Engine): Promise<void> {
	try {
		await engine.ping();
	} catch (error) {
		throw new BaleenError(`cannot reach the Docker engine at ${engine.name} (${errorMessage(error)}); start it, or set DOCKER_HOST to use another engine`);
	}
}

async function requireImage(engine: Engine, image: string): Promise<void> {
	if (!await engine.hasImage(image)) {
		throw new BaleenError(`image "${image}" is not on the Docker engine at ${engine.name}; build or pull it there first`);
	}
}

/**
`emit` passes on what happens before the run starts (a build's output); aborting `signal` stops a build.
*/
export async function plan(options: RunOptions, engine: Engine, emit: (event: RunEvent) => void = () => undefined, signal?: AbortSignal): Promise<Plan> {
	const cwd = options.cwd ?? process.cwd();
	const image = requireText(options.image, '--image', 'my-tests:latest');
	const command = requireText(options.command, '--command', '"npm test -- {file}"');
	const timeoutMs = parseTimeout(options.timeoutSeconds ?? defaultTimeoutSeconds) * 1000;
	const env = (options.env ?? []).map(entry => parseEnv(entry));
	const binds = (options.mounts ?? []).map(entry => parseMount(entry, cwd));
	const runId = options.runId ?? randomUUID().slice(0, 8);
	const requested = options.concurrency === undefined ? undefined : parseConcurrency(options.concurrency);

	const patterns = options.patterns.length > 0 ? options.patterns.join(' ') : '(no pattern given)';
	const noFile = (where: string) => new BaleenError(`no file matches ${patterns} in ${where}`);
	// Host files are looked for first, so a typo is told before the engine is asked anything.
	let files = options.findInImage ? [] : await discover(options.patterns, cwd);
	if (!options.findInImage && files.length === 0) {
		throw noFile(cwd);
	}

	await reach(engine);
	if (options.build) {
		const context = path.resolve(cwd, options.build);
		emit({schema: schemaVersion, type: 'build-start', image, context});
		await buildImage({directory: context, tag: image, labels: {'baleen.run': runId, 'baleen.context': context}, signal}, engine, line => {
			emit({schema: schemaVersion, type: 'build-output', image, line});
		});
	}

	await requireImage(engine, image);
	const owner = `${hostname()}:${process.pid}`;
	const labels = (timeout: number) => ({
		'baleen.run': runId,
		'baleen.owner': owner,
		'baleen.deadline': new Date(Date.now() + timeout + deadlineMarginMs).toISOString(),
	});

	if (options.findInImage) {
		if (options.patterns.length === 0) {
			throw new BaleenError('--find-in-image needs patterns to match in the image, e.g. \'features/**/*.feature\'');
		}

		files = await findInImage({
			patterns: options.patterns,
			spec: {image, env, workdir: options.workdir, binds, labels: {...labels(timeoutMs), 'baleen.role': 'find'}},
			timeoutMs,
		}, engine);
		if (files.length === 0) {
			throw noFile(`the image ${image}${options.workdir ? ` at ${options.workdir}` : ''}`);
		}
	}

	// No more slots than files: run-start tells how many containers will really run at once.
	const concurrency = Math.min(requested ?? await engine.cpus(), files.length);

	return {
		runId,
		files,
		concurrency,
		timeoutMs,
		job: file => ({
			file,
			timeoutMs,
			spec: {
				image,
				cmd: containerCommand(command, file, options.before),
				env: [...env, `BALEEN_FILE=${file}`, `BALEEN_RUN_ID=${runId}`],
				workdir: options.workdir,
				binds,
				labels: {...labels(timeoutMs), 'baleen.file': file},
			},
		}),
	};
}

/**
Every file through its own container, `concurrency` at once: a slot that frees takes the next file
at once (a sliding window, not batches). After a cancel, files not yet started end as `cancelled`
without a container.
*/
export function runFiles(
	files: readonly string[],
	concurrency: number,
	runOne: (file: string) => Observable<RunEvent>,
): Observable<RunEvent> {
	return from(files).pipe(mergeMap(file => defer(() => runOne(file)), concurrency));
}

/** Appends `run-end`, from the `test-end`s the stream carried, counted as every view counts them. */
function withRunEnd(runId: string, startedAt: number, signal$: Observable<CancelSignal | undefined>) {
	return (events$: Observable<RunEvent>): Observable<RunEvent> => events$.pipe(connect(shared => merge(
		shared,
		shared.pipe(
			reduce((totals, event) => event.type === 'test-end' ? tally(totals, event) : totals, emptyTotals),
			mergeMap(({summary, testDurationMs}) => signal$.pipe(map((signal): RunEnd => ({
				schema: schemaVersion,
				type: 'run-end',
				runId,
				summary,
				testDurationMs,
				durationMs: Date.now() - startedAt,
				exitCode: exitCodeFor(summary, signal),
				...(signal && {signal}),
			})))),
		),
	)));
}

/** The plan, after the events made while planning (a build's); unsubscribing aborts a build under way. */
function planning(options: RunOptions, engine: Engine): Observable<{event: RunEvent} | {plan: Plan}> {
	return new Observable(subscriber => {
		const abort = new AbortController();
		plan(options, engine, event => {
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
The whole run as one cold Observable of events: subscribing checks the options and the engine
(failing with a `BaleenError` before any container when something is wrong), then runs the files.
*/
export function run(options: RunOptions, {engine = dockerEngine(), cancel$ = NEVER}: RunContext = {}): Observable<RunEvent> {
	return defer(() => {
		// Replayed, so that a file whose turn comes after the cancel sees it at once.
		const cancelled$ = new ReplaySubject<CancelSignal>(1);
		const cancelSubscription = cancel$.pipe(take(1)).subscribe(cancelled$);
		const signal$ = race(cancelled$, of(undefined));

		return planning(options, engine).pipe(
			mergeMap(step => {
				if ('event' in step) {
					return of(step.event);
				}

				const {runId, files, concurrency, job} = step.plan;
				const startedAt = Date.now();
				const start: RunStart = {
					schema: schemaVersion,
					type: 'run-start',
					runId,
					startedAt: new Date(startedAt).toISOString(),
					total: files.length,
					concurrency,
					image: options.image,
					engine: engine.name,
				};
				return concat(
					of(start),
					runFiles(files, concurrency, file => runInContainer(job(file), engine, cancelled$))
						.pipe(withRunEnd(runId, startedAt, signal$)),
				);
			}),
			finalize(() => {
				cancelSubscription.unsubscribe();
			}),
		);
	});
}
