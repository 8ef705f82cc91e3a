import {Text} from 'ink';
import type {TestResult} from '../events.js';
import {resultParts} from '../report/plain.js';
import {statusColor} from './status-color.js';

/** A finished file, the same words as the plain log with its mark coloured; printed once, above the live rows. */
export function FinishedRow({result}: {result: TestResult}) {
	const {mark, label, file, details} = resultParts(result);
	return (
		<Text>
			<Text color={statusColor[result.status]}>{mark} {label}</Text> {file} <Text dimColor>{details}</Text>
		</Text>
	);
}
