import {formatDuration} from '../words/format.js';
import type {RunState} from '../run/state.js';
import {remainingMs} from './eta.js';

/** A bar `width` cells wide, filled in proportion to done/total: `████░░░░`. */
export function bar(done: number, total: number, width: number): string {
	const cells = Math.max(0, Math.floor(width));
	const filled = total > 0 ? Math.min(cells, Math.floor(cells * done / total)) : 0;
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

/** The words after the bar: done/total, elapsed, and the time left when there is an estimate. */
export function progressText(state: RunState, now: number, cancelling: boolean): string {
	const total = state.start?.total ?? 0;
	const started = state.start ? Date.parse(state.start.startedAt) : now;
	const left = cancelling ? undefined : remainingMs(state, now);
	return [
		`${state.totals.summary.total}/${total}`,
		formatDuration(Math.max(0, now - started)),
		...(left === undefined ? [] : [left < 1000 ? '<1s left' : `~${formatDuration(left)} left`]),
	].join('  ');
}
