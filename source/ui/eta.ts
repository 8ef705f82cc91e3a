import type {RunStart} from '../events.js';
import type {RunState} from '../run/state.js';

/**
How long the rest of the run should take, from what earlier runs' timings expect of the files not
finished yet: the work left spread over the slots, and never less than what the longest running file
still needs. A running file past its expected time counts as about to end.
*/
function remainingFromTimings(state: RunState, start: RunStart & {expectedMs: Record<string, number>}, now: number): number {
	const expected = (file: string) => start.expectedMs[file] ?? 0;
	const left = start.total - state.totals.summary.total;
	if (left <= 0) {
		return 0;
	}

	const all = Object.values(start.expectedMs).reduce((sum, ms) => sum + ms, 0);
	const runningMs = state.running.map(test => Math.max(0, expected(test.file) - (now - test.startedAt)));
	const waiting = Math.max(0, all - state.expectedDoneMs - state.running.reduce((sum, test) => sum + expected(test.file), 0));
	const work = waiting + runningMs.reduce((sum, ms) => sum + ms, 0);
	return Math.max(work / Math.max(1, Math.min(start.concurrency, left)), ...runningMs);
}

/**
How long the rest of the run should take: from the timings of earlier runs when there are some, else
from the files done so far: the work left (files not
started at the mean duration, running files at what the mean says they still need) spread over the
slots that will be busy. Undefined until a file has finished, and when only files past the mean are left: there is nothing to go on.
*/
export function remainingMs(state: RunState, now: number): number | undefined {
	if (state.start?.expectedMs) {
		return remainingFromTimings(state, {...state.start, expectedMs: state.start.expectedMs}, now);
	}

	const total = state.start?.total ?? 0;
	if (!state.start || state.measured.files === 0) {
		return undefined;
	}

	const mean = state.measured.ms / state.measured.files;
	const left = total - state.totals.summary.total;
	if (left <= 0) {
		return 0;
	}

	const waiting = Math.max(0, left - state.running.length);
	const runningWork = state.running.reduce((sum, test) => sum + Math.max(0, mean - (now - test.startedAt)), 0);
	if (waiting === 0 && runningWork === 0) {
		return undefined; // Only files that already ran longer than the mean are left: nothing to estimate from.
	}

	const slots = Math.max(1, Math.min(state.start.concurrency, left));
	return ((waiting * mean) + runningWork) / slots;
}
