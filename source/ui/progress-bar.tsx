import {Box, Text} from 'ink';
import {Fragment} from 'react';
import {countParts} from '../words/lines.js';
import type {RunState} from '../run/state.js';
import {bar, progressText} from './progress.js';
import {statusColor} from './status-color.js';
import {textWidth, truncateEnd} from './text.js';

const maxBarWidth = 40;
const minBarWidth = 5;

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
	const counts = countParts(state.totals.summary);
	const running = state.running.length;
	return (
		<Box flexDirection="column">
			{barWidth >= minBarWidth
				? <Text><Text color="cyan">{bar(state.totals.summary.total, state.start?.total ?? 0, barWidth)}</Text> {text}</Text>
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
