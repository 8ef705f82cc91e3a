import {
	NEVER, asyncScheduler, concat, defer, filter, interval, map, merge, mergeMap, of, scan, take, takeWhile, type Observable, type SchedulerLike,
} from 'rxjs';
import type {CancelSignal, RunEvent} from '../events.js';
import {initialState, reduceState, type RunState} from '../run/state.js';
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

/** What comes to the view: an event to reduce, or a moment to draw at (the clock's tick, the cancel, the end). */
type Input = {type: 'event'; event: RunEvent} | {type: 'tick' | 'end'; now: number} | {type: 'cancel'; signal: CancelSignal; now: number};

/** Printed items, the newest on top: adding one costs the same however many wait (a burst of ten thousand is no copying). */
type Pile = {item: PrintedItem; below: Pile} | undefined;

function oldestFirst(pile: Pile): PrintedItem[] {
	const items: PrintedItem[] = [];
	for (let at = pile; at; at = at.below) {
		items.push(at.item);
	}

	return items.reverse();
}

type Drawing = {
	state: RunState;
	/** The batch the last frame carried. */
	printed: Frame['printed'];
	/** Printed and not drawn yet: what a frame left over (oldest first), then what came since. */
	fresh: readonly PrintedItem[];
	pile: Pile;
	cancelling?: CancelSignal;
	/** What the last input drew. */
	frames: readonly Frame[];
	ended: boolean;
};

const firstDrawing: Drawing = {state: initialState, printed: {key: 0, items: []}, fresh: [], pile: undefined, frames: [], ended: false};

/** One more frame: the state as it is, and the next batch of what was printed, if any (else the last one again). */
function withFrame(drawing: Drawing, now: number): Drawing {
	const {state, cancelling} = drawing;
	const fresh = drawing.pile ? [...drawing.fresh, ...oldestFirst(drawing.pile)] : drawing.fresh;
	const printed = fresh.length > 0 ? {key: drawing.printed.key + 1, items: fresh.slice(0, maxPrintedPerFrame)} : drawing.printed;
	const frame: Frame = {state, printed, now, ...(cancelling && {cancelling})};
	return {...drawing, printed, fresh: fresh.slice(maxPrintedPerFrame), pile: undefined, frames: [...drawing.frames, frame]};
}

const noFrames: readonly Frame[] = [];

function draw(last: Drawing, input: Input): Drawing {
	// An event draws nothing: the costly case is a burst of them, so it makes one object.
	if (input.type === 'event') {
		const state = reduceState(last.state, input.event);
		const pile = printedBy(input.event, state).reduce<Pile>((below, item) => ({item, below}), last.pile);
		return {...last, state, pile, frames: noFrames};
	}

	const drawing = {...last, frames: noFrames};
	switch (input.type) {
		case 'cancel': {
			return withFrame({...drawing, cancelling: input.signal}, input.now);
		}

		case 'tick': {
			return withFrame(drawing, input.now);
		}

		case 'end': {
			let ended = withFrame(drawing, input.now);
			while (ended.fresh.length > 0) {
				ended = withFrame(ended, input.now);
			}

			return {...ended, ended: true};
		}
	}
}

/**
The frames a view draws: every event goes through the reducer at once, but a frame goes out only on
the clock's tick, so a burst of a thousand events costs one render. A cancel and the end are drawn
at once; the stream completes with the events and fails with them. Each frame carries what was
printed since the frame before (a new batch, with a key of its own), never all that ever was.
*/
export function frames(events$: Observable<RunEvent>, {cancel$ = NEVER, intervalMs = 100, scheduler = asyncScheduler}: FrameOptions = {}): Observable<Frame> {
	const inputs$ = merge(
		interval(intervalMs, scheduler).pipe(map((): Input => ({type: 'tick', now: scheduler.now()}))),
		cancel$.pipe(take(1), map((signal): Input => ({type: 'cancel', signal, now: scheduler.now()}))),
		concat(events$.pipe(map((event): Input => ({type: 'event', event}))), defer(() => of<Input>({type: 'end', now: scheduler.now()}))),
	);
	return inputs$.pipe(
		scan(draw, firstDrawing),
		takeWhile(drawing => !drawing.ended, true),
		// An event draws nothing, and an inner subscription for its empty list cost more than the reducer.
		filter(drawing => drawing.frames.length > 0),
		mergeMap(drawing => drawing.frames),
	);
}
