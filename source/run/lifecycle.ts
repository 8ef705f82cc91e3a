import {
	Observable, Subject, asyncScheduler, filter, lastValueFrom, map, tap, throttleTime,
} from 'rxjs';
import {schemaVersion, type RunEvent, type TestResult, type TestStatus} from '../events.js';
import {errorMessage, type ContainerSpec, type Engine, type Output} from '../engine/engine.js';
import {Tail, lastLine} from './tail.js';

export type TestJob = {
	file: string;
	spec: ContainerSpec;
	timeoutMs: number;
	/** How much of each stream the result keeps; the default bounds baleen's memory whatever a test prints. */
	tailBytes?: number;
};

/** How much of each stream a result keeps; the rest is counted, not stored. */
export const tailBytes = 64 * 1024;
const liveOutputIntervalMs = 100;

type StopReason = Extract<TestStatus, 'cancelled' | 'timed-out'>;

const ignore = () => undefined;

/**
One file's life in one container, as a cold Observable: subscribing creates the container; it emits
`test-start`, throttled `test-output` and one `test-end`, then completes once the container is removed.
`cancel$` stops it gracefully (kill, `cancelled`, remove); unsubscribing removes the container at once.
Engine failures end the file as `error`; they never error the Observable, so the run goes on.
*/
export function runInContainer(job: TestJob, engine: Engine, cancel$: Observable<unknown>): Observable<RunEvent> {
	return new Observable<RunEvent>(subscriber => {
		const startedAt = Date.now();
		const tails = {stdout: new Tail(job.tailBytes ?? tailBytes), stderr: new Tail(job.tailBytes ?? tailBytes)};
		let containerId: string | undefined;
		let running = false;
		let removed = false;
		let stopReason: StopReason | undefined;
		let timer: NodeJS.Timeout | undefined;

		const stop = (reason: StopReason) => {
			stopReason ??= reason;
			if (running && containerId) {
				engine.kill(containerId).catch(ignore);
			}
		};

		const live = new Subject<Output>();
		const liveSubscription = live.pipe(
			map(({stream, chunk}) => ({stream, line: lastLine(chunk)})),
			filter(({line}) => line !== ''),
			throttleTime(liveOutputIntervalMs, asyncScheduler, {leading: true, trailing: true}),
		).subscribe(({stream, line}) => {
			subscriber.next({schema: schemaVersion, type: 'test-output', file: job.file, stream, line});
		});

		const result = (status: TestStatus, exitCode: number | null, error?: string): TestResult => ({
			file: job.file,
			status,
			exitCode,
			durationMs: Date.now() - startedAt,
			stdout: tails.stdout.toString(),
			stderr: tails.stderr.toString(),
			stdoutBytes: tails.stdout.bytes,
			stderrBytes: tails.stderr.bytes,
			...(containerId && {containerId}),
			...(error && {error}),
		});

		async function life(): Promise<TestResult> {
			if (stopReason) {
				return result(stopReason, null); // Cancelled before its turn came: no container at all.
			}

			containerId = await engine.create(job.spec);
			if (stopReason) {
				return result(stopReason, null);
			}

			// Attached before start: a container that exits within a millisecond still has all its output read.
			const output$ = await engine.attach(containerId);
			const drained = lastValueFrom(output$.pipe(tap(output => {
				tails[output.stream].write(output.chunk);
				live.next(output);
			})), {defaultValue: undefined});
			drained.catch(ignore); // Awaited below; this only keeps an early failure from counting as unhandled.

			if (stopReason) {
				return result(stopReason, null);
			}

			// Announced before start answers, since the container's first output may come before that answer.
			subscriber.next({schema: schemaVersion, type: 'test-start', file: job.file, containerId, at: Date.now()});
			await engine.start(containerId);
			running = true;
			if (stopReason) {
				stop(stopReason);
			}

			timer = setTimeout(() => {
				stop('timed-out');
			}, job.timeoutMs);
			await drained;
			// The output ends as the process does; wait() then answers with the exit status it kept.
			const exitCode = await engine.wait(containerId);
			running = false;
			return result(stopReason ?? (exitCode === 0 ? 'passed' : 'failed'), exitCode);
		}

		const cancelSubscription = cancel$.subscribe(() => {
			stop('cancelled');
		});

		void life()
			.catch((error: unknown) => result('error', null, errorMessage(error)))
			.then(async testResult => {
				clearTimeout(timer);
				running = false;
				liveSubscription.unsubscribe(); // A trailing line after test-end would only confuse a view.
				subscriber.next({schema: schemaVersion, type: 'test-end', ...testResult});
				if (containerId) {
					await engine.remove(containerId).catch(ignore);
				}

				removed = true;
				subscriber.complete();
			});

		return () => {
			cancelSubscription.unsubscribe();
			liveSubscription.unsubscribe();
			clearTimeout(timer);
			// Unsubscribed before the end (a forced stop): the run no longer waits, but the container still goes.
			stopReason ??= 'cancelled';
			if (!removed && containerId) {
				engine.remove(containerId).catch(ignore);
			}
		};
	});
}
