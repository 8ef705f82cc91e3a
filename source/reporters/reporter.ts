import type {Observable} from 'rxjs';
import type {CancelSignal, RunEvent} from '../events.js';

/** One reporter at work on one run. */
export type Report = {
	/** Settles once it has written its last word: a file flushed and closed, the view gone from the terminal. */
	written: Promise<void>;
	/** A signal is cancelling the run: a reporter that can show it does. */
	cancelling?(signal: CancelSignal): void;
	/** A forced stop: stop writing at once (a reporter that tells people may say so). */
	forced?(): void;
};

/**
A way of telling a run: it subscribes to the run's events (share them, and start the run once every
reporter has subscribed) and writes them somewhere. None of them talks to the engine.
*/
export type Reporter = (events$: Observable<RunEvent>, context: {cancel$: Observable<CancelSignal>}) => Report | Promise<Report>;

/**
A report written once, from the last state `state$` reached: when the run ends (a cancelled one too,
with what finished), or at a forced stop with what it had. `write` is called only on a state `ready`
says is worth writing (a run that never started writes nothing). A write that fails at the end goes
to `failed`, or without one rejects `written`; one at a forced stop throws to the stop.
*/
export function writtenOnce<State>(state$: Observable<State>, initial: State, {ready, write, failed}: {
	ready: (state: State) => boolean;
	write: (state: State) => void;
	failed?: (error: Error) => void;
}): Report {
	let latest = initial;
	let done = false;
	const once = () => {
		if (!done && ready(latest)) {
			done = true;
			write(latest);
		}
	};

	const written = new Promise<void>((resolve, reject) => {
		state$.subscribe({
			next(state) {
				latest = state;
			},
			error() {
				resolve();
			},
			complete() {
				try {
					once();
				} catch (error) {
					if (!failed) {
						reject(error as Error);
						return;
					}

					failed(error as Error);
				}

				resolve();
			},
		});
	});
	return {written, forced: once};
}

/** The reporters of a run, started together and told together. */
export type Reporting = {
	cancelling(signal: CancelSignal): void;
	forced(): void;
	/** Settles when every reporter has written its last word, so that an error message can follow, and the process leave. */
	closed: Promise<void>;
};

export async function startReporters(reporters: readonly Reporter[], events$: Observable<RunEvent>, context: {cancel$: Observable<CancelSignal>}): Promise<Reporting> {
	const reports = await Promise.all(reporters.map(async reporter => reporter(events$, context)));
	return {
		cancelling(signal) {
			for (const report of reports) {
				report.cancelling?.(signal);
			}
		},
		forced() {
			for (const report of reports) {
				report.forced?.();
			}
		},
		closed: Promise.all(reports.map(async ({written}) => written)).then(() => undefined),
	};
}

/** A reporter that writes text to a stream: what `text` makes of the events, until they end. */
export function streamReporter(stream: Pick<NodeJS.WritableStream, 'write'>, text: (events$: Observable<RunEvent>) => Observable<string>): Reporter {
	return events$ => {
		let stop = () => undefined as void;
		const written = new Promise<void>(resolve => {
			const subscription = text(events$).subscribe({
				next(chunk) {
					stream.write(chunk);
				},
				// The CLI reports the run's error itself.
				error: () => resolve(),
				complete: () => resolve(),
			});
			stop = () => {
				subscription.unsubscribe();
				resolve();
			};
		});
		return {written, forced: stop};
	};
}
