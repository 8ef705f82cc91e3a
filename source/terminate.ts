import {
	Observable, asyncScheduler, catchError, concat, connect, defer, filter, map, merge, mergeMap, of, race, share, skip, take, timer,
	type ObservableInput, type SchedulerLike,
} from 'rxjs';
import type {CancelSignal} from './events.js';
import {signalExitCode} from './run/summary.js';

/**
What the CLI does about a signal, step by step:
- `cancel`: the first Ctrl-C or SIGTERM cancels gracefully (running containers killed and removed, the summary still written);
- `force`: a second signal, a cancel that has waited `gracefulMs` (an engine that stopped answering), a closed
  terminal (SIGHUP) or a reader of stdout that went away (SIGPIPE) stops waiting; the last two `quietly`, since
  nobody is left to read;
- `leave`: once the forced clean-up has settled, or after `forcedLeaveMs` if the engine does not answer, exit with the signal's code.
*/
export type Step =
	| {type: 'cancel'; signal: CancelSignal}
	| {type: 'force'; signal: CancelSignal; quietly: boolean}
	| {type: 'leave'; exitCode: number};

export type TerminateOptions = {
	/** Removes whatever of the run is left on the engine. */
	forceCleanup: () => ObservableInput<unknown>;
	gracefulMs?: number;
	forcedLeaveMs?: number;
	scheduler?: SchedulerLike;
};

/** How long a cancel may wait for the engine to kill and remove the running containers before it forces. */
export const gracefulMs = 10_000;
/** How long a forced stop waits for the engine to remove what is left before baleen leaves anyway. */
export const forcedLeaveMs = 5000;

const nobodyReads = (signal: CancelSignal) => signal === 'SIGHUP' || signal === 'SIGPIPE';

export function terminate(signals$: Observable<CancelSignal>, {
	forceCleanup, gracefulMs: graceMs = gracefulMs, forcedLeaveMs: leaveMs = forcedLeaveMs, scheduler = asyncScheduler,
}: TerminateOptions): Observable<Step> {
	return signals$.pipe(connect(signal$ => {
		const asking$ = signal$.pipe(filter(signal => !nobodyReads(signal)));
		const cancel$ = asking$.pipe(take(1), map(signal => ({type: 'cancel', signal}) as const), share());
		const force$ = merge(
			signal$.pipe(filter(nobodyReads), map(signal => ({signal, quietly: true}))),
			asking$.pipe(skip(1), map(signal => ({signal, quietly: false}))),
			cancel$.pipe(mergeMap(({signal}) => timer(graceMs, scheduler).pipe(map(() => ({signal, quietly: false}))))),
		).pipe(take(1), map(force => ({type: 'force', ...force}) as const));
		const leave = (signal: CancelSignal) => race(
			defer(forceCleanup).pipe(catchError(() => of(undefined))),
			timer(leaveMs, scheduler),
		).pipe(take(1), map(() => ({type: 'leave', exitCode: signalExitCode[signal]}) as const));
		return merge(cancel$, force$.pipe(mergeMap(force => concat(of(force), leave(force.signal)))));
	}));
}

type Emitter = Pick<NodeJS.Process, 'on' | 'off'>;
type Stream = Pick<NodeJS.WriteStream, 'on' | 'off'>;

/**
The signals that stop a run, as they reach this process: SIGINT, SIGTERM, SIGHUP, and a stdout or
stderr that went away (EPIPE, EIO) as SIGPIPE. Listening ends with the subscription.
*/
export function stopSignals(emitter: Emitter = process, streams: Stream[] = [process.stdout, process.stderr]): Observable<CancelSignal> {
	return new Observable<CancelSignal>(subscriber => {
		const listeners = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map(signal => [signal, () => {
			subscriber.next(signal);
		}] as const);
		const onStreamError = (error: NodeJS.ErrnoException) => {
			if (error.code !== 'EPIPE' && error.code !== 'EIO') {
				throw error;
			}

			subscriber.next('SIGPIPE');
		};

		for (const [signal, listener] of listeners) {
			emitter.on(signal, listener);
		}

		for (const stream of streams) {
			stream.on('error', onStreamError);
		}

		return () => {
			for (const [signal, listener] of listeners) {
				emitter.off(signal, listener);
			}

			for (const stream of streams) {
				stream.off('error', onStreamError);
			}
		};
	});
}
