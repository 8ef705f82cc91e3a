import {Box, Static, Text} from 'ink';
import type {
	CancelSignal, RunEnd, RunStart, TestResult,
} from '../events.js';
import {needsDetails} from '../report/plain.js';
import type {RunState} from '../run/state.js';
import {FinishedRow} from './finished-row.js';
import {Header} from './header.js';
import {ProgressBar} from './progress-bar.js';
import {RunningRow, pathColumnWidth} from './running-row.js';
import {Summary} from './summary.js';

/** What the view shows at one moment: the reduced state, the clock, and whether a signal is cancelling the run. */
export type Frame = {
	state: RunState;
	now: number;
	cancelling?: CancelSignal;
};

type Printed =
	| {key: string; kind: 'header'; start: RunStart}
	| {key: string; kind: 'result'; result: TestResult}
	| {key: string; kind: 'summary'; end: RunEnd; failures: TestResult[]};

/** Everything printed once and never redrawn, in order: header, a line per finished file, the summary. */
export function printedItems(state: RunState): Printed[] {
	return [
		...(state.start ? [{key: 'header', kind: 'header' as const, start: state.start}] : []),
		...state.finished.map((result, index) => ({key: `result-${index}`, kind: 'result' as const, result})),
		...(state.end ? [{key: 'summary', kind: 'summary' as const, end: state.end, failures: state.finished.filter(result => needsDetails(result))}] : []),
	];
}

/** Lines the live area keeps for itself besides the running rows: the cancel notice and two of progress. */
const liveChromeLines = 3;

type Props = Frame & {
	width: number;
	/** The terminal's height, when known: running rows beyond it fold into one line so nothing scrolls. */
	height?: number;
};

export function RunView({state, now, cancelling, width, height}: Props) {
	const shown = height === undefined ? state.running.length : Math.max(1, height - liveChromeLines - 1);
	const rows = state.running.length > shown ? state.running.slice(0, shown - 1) : state.running;
	const hidden = state.running.length - rows.length;
	const pathWidth = pathColumnWidth(rows, width);
	return (
		<>
			<Static items={printedItems(state)}>
				{item => {
					switch (item.kind) {
						case 'header': {
							return <Header key={item.key} start={item.start}/>;
						}

						case 'result': {
							return <FinishedRow key={item.key} result={item.result}/>;
						}

						case 'summary': {
							return <Summary key={item.key} end={item.end} failures={item.failures}/>;
						}
					}
				}}
			</Static>
			{state.start && !state.end && (
				<Box flexDirection="column">
					{rows.map(test => <RunningRow key={test.file} test={test} now={now} width={width} pathWidth={pathWidth}/>)}
					{hidden > 0 && <Text dimColor>{`  … and ${hidden} more running`}</Text>}
					{cancelling && (
						<Text color="yellow" wrap="truncate-end">
							{`${cancelling === 'SIGINT' ? 'Ctrl-C' : cancelling}: cancelling… (Ctrl-C again to force)`}
						</Text>
					)}
					<ProgressBar state={state} now={now} width={width} cancelling={Boolean(cancelling)}/>
				</Box>
			)}
		</>
	);
}
