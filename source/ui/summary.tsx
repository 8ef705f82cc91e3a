import {Box, Text} from 'ink';
import {Fragment} from 'react';
import type {RunEnd, TestResult} from '../events.js';
import {
	bailLine, count, countParts, failureDetails, testCounts, timeLine, verdict,
} from '../words/lines.js';
import {expiredLines, unmatchedLines} from '../words/quarantine.js';
import {statusColor} from './status-color.js';

const verdictColor = {Pass: 'green', Fail: 'red', Cancelled: 'yellow'} as const;

/** The end of a run: verdict, counts (each in its status's colour) and times, the plain log's words; what went wrong in each file that failed follows, each apart. */
export function Summary({end, concurrency}: {end: RunEnd; concurrency?: number}) {
	const word = verdict(end);
	const bailed = bailLine(end);
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold>
				<Text color={verdictColor[word as keyof typeof verdictColor]}>{word}:</Text>{' '}
				{countParts(end.summary).map(({status, text}, index) => (
					<Fragment key={status}>
						{index > 0 && ', '}
						<Text color={statusColor[status]}>{text}</Text>
					</Fragment>
				))}
				{` of ${count(end.summary.total, 'file')}`}
				{end.tests && `; ${testCounts(end.tests)}`}
			</Text>
			{bailed && <Text color="yellow">{bailed}</Text>}
			{expiredLines(end).map(line => <Text key={line} color="red">{line}</Text>)}
			{unmatchedLines(end).map(line => <Text key={line}>{line}</Text>)}
			<Text>{timeLine(end, concurrency)}</Text>
		</Box>
	);
}

export function FailureDetails({result}: {result: TestResult}) {
	const [title = '', ...rest] = failureDetails(result);
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold color="red">{title}</Text>
			{rest.map((line, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} dimColor={/^ {2}(stdout|stderr):$/.test(line)}>{line}</Text>
			))}
		</Box>
	);
}
