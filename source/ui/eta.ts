import type {RunState} from '../run/state.js';

/**
How long the rest of the run should take, from the files done so far: the work left (files not
started at the mean duration, running files at what the mean says they still need) spread over the
slots that will be busy. Undefined until a file has finished, and when only files past the mean are left: there is nothing to go on.
*/
export function remainingMs(state: RunState, now: number): number | undefined {
	const total = state.start?.total ?? 0;
	const counted = state.finished.filter(result => result.status !== 'cancelled');
	if (!state.start || counted.length === 0) {
		return undefined;
	}

	const mean = counted.reduce((sum, result) => sum + result.durationMs, 0) / counted.length;
	const left = total - state.finished.length;
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
