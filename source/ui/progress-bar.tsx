import {Box, Text} from 'ink';
import {Fragment} from 'react';
import {formatDuration} from '../report/format.js';
import {countParts} from '../report/plain.js';
import type {RunState} from '../run/state.js';
import {remainingMs} from './eta.js';
import {statusColor} from './status-color.js';
import {textWidth, truncateEnd} from './text.js';

const maxBarWidth = 40;
const minBarWidth = 5;

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
		`${state.finished.length}/${total}`,
		formatDuration(Math.max(0, now - started)),
		...(left === undefined ? [] : [left < 1000 ? '<1s left' : `~${formatDuration(left)} left`]),
	].join('  ');
}

type Props = {
	state: RunState;
	now: number;
	width: number;
	cancelling?: boolean;
};

/** Two lines: the bar with done/total, elapsed time and time left; then the count of each status so far. */
export function ProgressBar({state, now, width, cancelling = false}: Props) {
	const text = progressText(state, now, cancelling);
	const barWidth = Math.min(maxBarWidth, width - textWidth(text) - 1);
	const counts = countParts(state.summary);
	const running = state.running.length;
	return (
		<Box flexDirection="column">
			{barWidth >= minBarWidth
				? <Text><Text color="cyan">{bar(state.finished.length, state.start?.total ?? 0, barWidth)}</Text> {text}</Text>
				: <Text>{truncateEnd(text, width)}</Text>}
			<Text wrap="truncate-end">
				{counts.map(({status, text}, index) => (
					<Fragment key={status}>
						{index > 0 && ' · '}
						<Text color={statusColor[status]}>{text}</Text>
					</Fragment>
				))}
				{running > 0 && ` · ${running} running`}
			</Text>
		</Box>
	);
}
