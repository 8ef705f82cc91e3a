import {Box, Text} from 'ink';
import type {RunEnd, TestResult} from '../events.js';
import {failureDetails, summaryLines, verdict} from '../report/wording.js';

const verdictColor = {Pass: 'green', Fail: 'red', Cancelled: 'yellow'} as const;

/** The end of a run: verdict, counts and times (the plain log's words); what went wrong in each file that failed follows, each apart. */
export function Summary({end}: {end: RunEnd}) {
	const [counts = '', time = ''] = summaryLines(end);
	const word = verdict(end);
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold color={verdictColor[word as keyof typeof verdictColor]}>{counts}</Text>
			<Text>{time}</Text>
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
