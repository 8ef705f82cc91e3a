import {
	NEVER, Observable, Subscription, asyncScheduler, interval, take, type SchedulerLike,
} from 'rxjs';
import type {CancelSignal, RunEvent} from '../events.js';
import {initialState, reduceState} from '../run/state.js';
import {printedBy, type PrintedItem} from './printed.js';
import type {Frame} from './run-view.js';

/**
At most this many printed items a frame: Ink lays out a batch whole, a cell at a time, so a summary
with a thousand failures' details drawn at once would cost hundreds of MB.
*/
const maxPrintedPerFrame = 50;

export type FrameOptions = {
	/** The first signal it emits is shown as "cancelling". */
	cancel$?: Observable<CancelSignal>;
	/** How often the view is drawn: the clock (elapsed times, spinner) moves at this pace, and no faster whatever the event rate. */
	intervalMs?: number;
	scheduler?: SchedulerLike;
};

/**
The frames a view draws: every event goes through the reducer at once, but a frame goes out only on
the clock's tick, so a burst of a thousand events costs one render. A cancel and the end are drawn
at once; the stream completes with the events and fails with them. Each frame carries what was
printed since the frame before (a new batch, with a key of its own), never all that ever was.
*/
export function frames(events$: Observable<RunEvent>, {cancel$ = NEVER, intervalMs = 100, scheduler = asyncScheduler}: FrameOptions = {}): Observable<Frame> {
	return new Observable<Frame>(subscriber => {
		let state = initialState;
		let cancelling: CancelSignal | undefined;
		let printed: Frame['printed'] = {key: 0, items: []};
		let fresh: PrintedItem[] = [];
		const frame = (): Frame => {
			if (fresh.length > 0) {
				printed = {key: printed.key + 1, items: fresh.slice(0, maxPrintedPerFrame)};
				fresh = fresh.slice(maxPrintedPerFrame);
			}

			return {state, printed, now: scheduler.now(), ...(cancelling && {cancelling})};
		};

		const subscriptions = new Subscription();
		subscriptions.add(interval(intervalMs, scheduler).subscribe(() => {
			subscriber.next(frame());
		}));
		subscriptions.add(cancel$.pipe(take(1)).subscribe(signal => {
			cancelling = signal;
			subscriber.next(frame());
		}));
		subscriptions.add(events$.subscribe({
			next(event) {
				state = reduceState(state, event);
				fresh.push(...printedBy(event, state));
			},
			error(error: unknown) {
				subscriber.error(error);
			},
			complete() {
				do {
					subscriber.next(frame());
				} while (fresh.length > 0);

				subscriber.complete();
			},
		}));
		return subscriptions;
	});
}
