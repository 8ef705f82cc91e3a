import {
	EMPTY, asyncScheduler, connect, filter, interval, last, map, merge, mergeMap, scan, takeUntil, withLatestFrom,
	type Observable, type SchedulerLike,
} from 'rxjs';
import type {RunEvent} from '../events.js';
import {
	countParts, failureDetails, notRunLine, resultLine, retryLine, startParts, summaryLines,
} from '../words/lines.js';
import {initialState, reduceState, type RunState} from '../run/state.js';
import {neverStarted} from '../run/summary.js';
import {progressText} from '../ui/progress.js';
import {streamReporter, type Reporter} from './reporter.js';

/** A failure's details folded under their first line, as GitHub Actions folds a log between `::group::` and `::endgroup::`. */
function folded([title = '', ...rest]: string[]): string[] {
	return [`::group::${title}`, ...rest, '::endgroup::'];
}

/** What one event adds to a log, given the state it led to; `groups` folds each failure's details for GitHub Actions. */
export function logLines(event: RunEvent, state: RunState, groups = false): string[] {
	switch (event.type) {
		case 'run-start': {
			const {files, image, concurrency, engine} = startParts(event);
			return [`baleen: ${files} in ${image}, ${concurrency} (${engine})`];
		}

		case 'test-retry': {
			return [retryLine(event)];
		}

		case 'test-end': {
			return neverStarted(event) ? [] : [resultLine(event)];
		}

		case 'run-end': {
			const {notRun} = state.totals;
			return [
				...(notRun > 0 ? [notRunLine(notRun)] : []),
				'',
				...summaryLines(event, state.start?.concurrency),
				...state.failures.flatMap(failure => ['', ...(groups ? folded(failureDetails(failure)) : failureDetails(failure))]),
			];
		}

		default: {
			return [];
		}
	}
}

/** Where the run is, as one line a log can keep: `… 12/51  4.2s  ~3.0s left  (2 passed, 0 failed, 3 running)`. */
export function progressLine(state: RunState, now: number): string {
	const counts = [...countParts(state.totals.summary).map(({text}) => text), `${state.running.length} running`];
	return `… ${progressText(state, now, false)}  (${counts.join(', ')})`;
}

export type PlainOptions = {
	/** Also a progress line this often while files run, for a person watching a log that never moves its cursor. */
	progressEveryMs?: number;
	/** Fold each failure's details (GitHub Actions' `::group::`). */
	groups?: boolean;
	scheduler?: SchedulerLike;
};

/**
A log that only ever appends, a line at a time: a line per finished file as it ends (files cancelled
before they started are one line at the end), then the summary and the details of each failure.
Nothing is redrawn, so whatever else writes to the same terminal stays.
*/
export function plainLines(events$: Observable<RunEvent>, {progressEveryMs, groups, scheduler = asyncScheduler}: PlainOptions = {}): Observable<string> {
	return events$.pipe(
		scan(({state}, event) => {
			const next = reduceState(state, event);
			return {state: next, lines: logLines(event, next, groups)};
		}, {state: initialState, lines: [] as string[]}),
		connect(steps$ => merge(
			steps$.pipe(mergeMap(({lines}) => lines)),
			progressEveryMs === undefined ? EMPTY : interval(progressEveryMs, scheduler).pipe(
				withLatestFrom(steps$),
				filter(([, {state}]) => state.start !== undefined && state.end === undefined),
				map(([, {state}]) => progressLine(state, scheduler.now())),
				takeUntil(steps$.pipe(last(undefined, undefined))),
			),
		)),
		map(line => `${line}\n`),
	);
}

export function plainReporter(stream: Pick<NodeJS.WritableStream, 'write'>, options: PlainOptions = {}): Reporter {
	return streamReporter(stream, events$ => plainLines(events$, options));
}
