import {Box, Static, Text} from 'ink';
import type {CancelSignal} from '../events.js';
import {notRunLine} from '../words/lines.js';
import {signalName} from '../reporters/notices.js';
import type {RunState} from '../run/state.js';
import {EngineRows, engineLines} from './engine-rows.js';
import {FinishedRow} from './finished-row.js';
import {Header} from './header.js';
import type {PrintedItem} from './printed.js';
import {ProgressBar} from './progress-bar.js';
import {RunningRow, pathColumnWidth} from './running-row.js';
import {FailureDetails, Summary} from './summary.js';

/** What the view shows at one moment: the reduced state, the clock, and whether a signal is cancelling the run. */
export type Frame = {
	state: RunState;
	/** What to print above the live rows since the frame before; a new `key` for each new batch. */
	printed: {key: number; items: PrintedItem[]};
	now: number;
	cancelling?: CancelSignal;
};

function PrintedRow({item}: {item: PrintedItem}) {
	switch (item.kind) {
		case 'header': {
			return <Header start={item.start}/>;
		}

		case 'result': {
			return <FinishedRow status={item.status} parts={item.parts}/>;
		}

		case 'retry': {
			return <Text color="yellow">{item.line}</Text>;
		}

		case 'not-run': {
			return <Text dimColor>{notRunLine(item.count)}</Text>;
		}

		case 'summary': {
			return <Summary end={item.end} concurrency={item.concurrency}/>;
		}

		case 'failure': {
			return <FailureDetails result={item.result}/>;
		}
	}
}

/** Lines the live area keeps for itself besides the running rows: the cancel notice and two of progress. */
const liveChromeLines = 3;

type Props = Frame & {
	width: number;
	/** The terminal's height, when known: running rows beyond it fold into one line so nothing scrolls. */
	height?: number;
};

export function RunView({state, printed, now, cancelling, width, height}: Props) {
	const shown = height === undefined ? state.running.length : Math.max(1, height - liveChromeLines - engineLines(state.engines) - 1);
	const rows = state.running.length > shown ? state.running.slice(0, shown - 1) : state.running;
	const hidden = state.running.length - rows.length;
	const pathWidth = pathColumnWidth(rows, width);
	return (
		<>
			{/* A new batch remounts <Static>, which prints it whole: it never holds more than one batch. */}
			<Static key={printed.key} items={printed.items}>
				{(item, index) => <PrintedRow key={index} item={item}/>}
			</Static>
			{state.start && !state.end && (
				<Box flexDirection="column">
					{rows.map(test => <RunningRow key={test.file} test={test} now={now} width={width} pathWidth={pathWidth}/>)}
					{hidden > 0 && <Text dimColor>{`  … and ${hidden} more running`}</Text>}
					{cancelling && (
						<Text color="yellow" wrap="truncate-end">
							{`${signalName(cancelling)}: cancelling… (Ctrl-C again to force)`}
						</Text>
					)}
					<EngineRows engines={state.engines} width={width}/>
					<ProgressBar state={state} now={now} width={width} cancelling={Boolean(cancelling)}/>
				</Box>
			)}
		</>
	);
}
