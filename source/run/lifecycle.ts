import {
	ReplaySubject, asyncScheduler, catchError, connect, defer, filter, finalize, ignoreElements, last, map, merge, mergeMap,
	of, race, scan, startWith, take, takeUntil, takeWhile, tap, throttleTime, timer, withLatestFrom,
	type Observable, type SchedulerLike,
} from 'rxjs';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Backend, Copied, Job, JobEvent} from '../backends/backend.js';
import {schemaVersion, type Kept, type Part, type RunEvent, type TestResult, type TestStatus} from '../events.js';
import {resultsReader, type ResultsFormat} from '../results/registry.js';
import type {ResultsReader} from '../results/reader.js';
import {readResults} from '../results/tests.js';
import {formatBytes} from '../words/format.js';
import {measuredEnd, measuredEndBytes} from '../resources/figures.js';
import {shellCommand, writeEnvFile} from './docker-run.js';
import {safeName, streamLogs, type StreamLogs} from './file-logs.js';
import {lastLine, newTails, type Tails} from './tail.js';

/** How much of each stream a result keeps; the rest is counted, not stored. */
export const tailBytes = 64 * 1024;
const liveOutputIntervalMs = 100;

export const staleImageHint = 'the file is not in the image: the image may be stale (built before this file was added); rebuild it, or mount the files';

const memoryHint = (bytes = 0) => `it went over its memory limit of ${formatBytes(bytes)} (--memory) and the kernel killed it`;

type StopReason = Extract<TestStatus, 'cancelled' | 'timed-out'>;
type End = Extract<JobEvent, {type: 'exited' | 'failed'}>;
/** Which attempt at the file this is, of how many it may have. */
export type Counted = {attempt: number; maxAttempts: number};
/** What is known of an attempt so far. */
type Attempt = {id?: string; engine?: string; end?: End};
/** What its container wrote of itself at the end of its stderr (see resources/probe.ts). */
type Measured = NonNullable<ReturnType<typeof measuredEnd>>;

const isEnd = (event: JobEvent): event is End => event.type === 'exited' || event.type === 'failed';
const isStarted = (event: JobEvent): event is Extract<JobEvent, {type: 'started'}> => event.type === 'started';
const isOutput = (event: JobEvent): event is Extract<JobEvent, {type: 'output'}> => event.type === 'output';

function status(end: End | undefined, reason: StopReason | undefined): TestStatus {
	if (end?.type === 'failed' || (!end && !reason)) {
		return 'error';
	}

	return reason ?? (end?.type === 'exited' && end.exitCode === 0 ? 'passed' : 'failed');
}

function errorOf(end: End | undefined, reason: StopReason | undefined): string | undefined {
	if (end?.type === 'failed') {
		return end.message;
	}

	return !end && !reason ? 'the backend ended the job without an exit status' : undefined;
}

/**
What the results file and the artifacts a job brought out add to its result. A file stopped by baleen
(timed out, cancelled) is not expected to have written its results: only what it did write is told.
*/
function copiedFields(copied: Copied | undefined, testStatus: TestStatus, reader: ResultsReader): Partial<TestResult> {
	const parsed = copied?.results && readResults(reader, copied.results);
	const artifactErrors = copied?.artifacts?.flatMap(({problem}) => (problem ? [problem] : [])) ?? [];
	const ranToItsEnd = testStatus === 'passed' || testStatus === 'failed';
	return {
		...(parsed && ('problem' in parsed ? ranToItsEnd && {resultsError: parsed.problem} : parsed)),
		...(artifactErrors.length > 0 && {artifactErrors}),
	};
}

/** The file's whole output on disk as it comes, when the run keeps it; a folder that cannot be written only loses the logs. */
function openLogs(folder: string | undefined): StreamLogs | undefined {
	try {
		return folder === undefined ? undefined : streamLogs(folder);
	} catch {
		return undefined;
	}
}

/** A file kept beside the file's output: the framework's own report as it came, what its container took. */
function keepBeside(folder: string, name: string, text: string): void {
	try {
		writeFileSync(path.join(folder, name), text);
	} catch {}
}

/** A kept container's image, and how to open a shell in it on the `engine` that has it: its env goes to a file of `folder` only its owner reads, which the command names. */
function keptShell({file, spec}: Job, image: string, folder: string, engine?: string): Kept {
	const envFile = path.join(folder, `${safeName(file)}.env`);
	try {
		writeEnvFile(envFile, spec.env);
	} catch {}

	return {image, command: shellCommand(spec, image, envFile, engine), envFile};
}

/**
One attempt at one file, as a cold Observable: it emits `test-start`, throttled `test-output` and one
`test-end` (which the run turns into a `test-retry` when the file runs again), then completes once the backend has removed what it made for the job. The timeout runs
from `test-start`; `cancel$` stops the job gracefully; both are timers of `scheduler`. Unsubscribing
removes everything at once. Backend failures end the file as `error`, never as an error of the Observable.
With `outputFolder`, the file's whole stdout and stderr go to files there as they come (an attempt's
replacing the one's before), and its results file too; `resultsFormat` is how that file is read.
`keptFolder`: where the env of a file whose container was kept (`Job.keep`) is written.
`kept`: tails to reuse (a slot's, reset here), written only until the job's end, so that the slot's next
file can take them over while this one's container is still being removed.
*/
export function runJob(
	job: Job,
	backend: Backend,
	cancel$: Observable<unknown>,
	scheduler: SchedulerLike = asyncScheduler,
	{attempt, maxAttempts, outputFolder, resultsFormat, slot, part, keptFolder = '.'}: Counted & {outputFolder?: string; resultsFormat?: ResultsFormat; slot?: number; part?: Part; keptFolder?: string} = {attempt: 1, maxAttempts: 1},
	kept?: Tails,
): Observable<RunEvent> {
	return defer(() => {
		const startedAt = scheduler.now();
		const tails = kept ?? newTails(job.tailBytes ?? tailBytes);
		tails.stdout.reset();
		tails.stderr.reset();
		let ended = false;
		const reader = resultsReader(resultsFormat);
		const stop$ = new ReplaySubject<StopReason>(1);
		// Opened once the job starts: a file that never ran gets no folder.
		let logs: StreamLogs | undefined;
		// Read once its process has ended, from the end of its stderr, which then no longer shows it.
		let measured: Measured | undefined;

		const result = ({id, engine, end}: Attempt, reason: StopReason | undefined): TestResult => {
			const testStatus = status(end, reason);
			const error = errorOf(end, reason);
			const copied = end?.type === 'exited' ? end.copied : undefined;
			const stderr = tails.stderr.toString();
			const ownBytes = measured?.bytes ?? 0;
			return {
				file: job.file,
				status: testStatus,
				exitCode: end?.type === 'exited' ? end.exitCode : null,
				durationMs: scheduler.now() - startedAt,
				stdout: tails.stdout.toString(),
				stderr: stderr.slice(0, stderr.length - ownBytes),
				stdoutBytes: tails.stdout.bytes,
				stderrBytes: tails.stderr.bytes - ownBytes,
				...(id && {containerId: id}),
				...(engine && {engine}),
				...(error && {error}),
				...(testStatus === 'failed' && end?.type === 'exited' && end.fileMissing && {hint: staleImageHint}),
				...(end?.type === 'exited' && end.outOfMemory && {reason: 'out of memory', hint: memoryHint(job.spec.limits?.memoryBytes)}),
				...copiedFields(copied, testStatus, reader),
				...(logs && {outputFolder}),
				...(end?.type === 'failed' && end.lost && {lost: true}),
				...(end?.type === 'exited' && end.kept && {kept: keptShell(job, end.kept, keptFolder, engine)}),
				...(measured?.resources && {resources: measured.resources}),
			};
		};

		return backend.run(job, stop$).pipe(
			catchError((error: unknown) => of<JobEvent>({type: 'failed', message: (error as Error).message ?? String(error)})),
			tap(event => {
				if (event.type === 'started') {
					logs = openLogs(outputFolder);
				}

				if (event.type === 'output') {
					if (!ended) {
						tails[event.stream].write(event.chunk);
					}

					logs?.write(event.stream, event.chunk);
				}

				if (event.type === 'exited' && job.marker) {
					measured = measuredEnd(tails.stderr.ending(measuredEndBytes), job.marker);
					if (logs && measured) {
						logs.drop('stderr', measured.bytes);
						if (measured.resources) {
							keepBeside(outputFolder!, 'resources.json', `${JSON.stringify(measured.resources)}\n`);
						}
					}
				}

				const results = event.type === 'exited' ? event.copied?.results : undefined;
				if (logs && results && 'text' in results) {
					keepBeside(outputFolder!, reader.keptAs, results.text);
				}

				ended ||= isEnd(event);
			}),
			finalize(() => logs?.close()),
			connect(events$ => {
				const started$ = events$.pipe(filter(isStarted), take(1));
				// The end as soon as the backend tells it, or what is known when it completes without one.
				const attempt$ = events$.pipe(
					scan((known: Attempt, event) => {
						if (event.type === 'started') {
							return {...known, id: event.id, ...(event.engine && {engine: event.engine})};
						}

						return isEnd(event) ? {...known, end: event} : known;
					}, {}),
					takeWhile(known => !known.end, true),
					last(undefined, {}),
				);
				const stopping$ = race(
					cancel$.pipe(map((): StopReason => 'cancelled')),
					events$.pipe(filter(event => event.type === 'running'), take(1), mergeMap(() => timer(job.timeoutMs, scheduler)), map((): StopReason => 'timed-out')),
				).pipe(take(1), takeUntil(attempt$), tap(reason => {
					// The reason only: stop$ completing with this would complete a backend that ends with it before its exit is told.
					stop$.next(reason);
				}));
				const testEnd$ = attempt$.pipe(
					withLatestFrom(stop$.pipe(startWith(undefined))),
					map(([known, reason]): RunEvent => ({schema: schemaVersion, type: 'test-end', ...result(known, reason), attempts: attempt})),
				);

				return merge(
					stopping$.pipe(ignoreElements()),
					started$.pipe(map((started): RunEvent => {
						const {id, at, engine} = started;
						const place = started.slot ?? slot;
						return {schema: schemaVersion, type: 'test-start', file: job.file, containerId: id, at, attempt, maxAttempts, ...(engine && {engine}), ...(part && {part}), ...(place !== undefined && {slot: place})};
					})),
					events$.pipe(
						filter(isOutput),
						// Throttled before its last line is found: a file printing megabytes costs one look per interval.
						throttleTime(liveOutputIntervalMs, scheduler, {leading: true, trailing: true}),
						map(({stream, chunk}) => ({stream, line: lastLine(chunk)})),
						// The marker's line ends the container's own last write, which is not the test's.
						filter(({line}) => line !== '' && line !== job.marker),
						map(({stream, line}): RunEvent => ({schema: schemaVersion, type: 'test-output', file: job.file, stream, line})),
						takeUntil(attempt$), // A trailing line after test-end would only confuse a view.
					),
					testEnd$,
					events$.pipe(ignoreElements()), // Complete only once the backend has removed what it made.
				);
			}),
		);
	});
}
