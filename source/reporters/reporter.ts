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
