import type {
	RunEnd, RunEvent, RunStart, TestResult, TestStatus,
} from '../events.js';
import {resultParts, retryLine} from '../words/lines.js';
import type {RunState} from '../run/state.js';
import {neverStarted} from '../run/summary.js';

/** What the view prints once and never redraws; a finished file keeps its words, not its output. */
export type PrintedItem =
	| {kind: 'header'; start: RunStart}
	| {kind: 'result'; status: TestStatus; parts: ReturnType<typeof resultParts>}
	| {kind: 'retry'; line: string}
	| {kind: 'not-run'; count: number}
	| {kind: 'summary'; end: RunEnd; concurrency?: number}
	| {kind: 'failure'; result: TestResult};

/**
What one event adds to the printed part of the view, given the state it led to: the header, a row
per file that ran (files cancelled before they started are one line at the end), the summary.
*/
export function printedBy(event: RunEvent, state: RunState): PrintedItem[] {
	switch (event.type) {
		case 'run-start': {
			return [{kind: 'header', start: event}];
		}

		case 'test-retry': {
			return [{kind: 'retry', line: retryLine(event)}];
		}

		case 'test-end': {
			return neverStarted(event) ? [] : [{kind: 'result', status: event.status, parts: resultParts(event)}];
		}

		case 'run-end': {
			const {notRun} = state.totals;
			return [
				...(notRun > 0 ? [{kind: 'not-run' as const, count: notRun}] : []),
				{kind: 'summary', end: event, ...(state.start && {concurrency: state.start.concurrency})},
				// Each failure apart, so that a run with a thousand failures is drawn a piece at a time.
				...state.failures.map(result => ({kind: 'failure' as const, result})),
			];
		}

		default: {
			return [];
		}
	}
}
