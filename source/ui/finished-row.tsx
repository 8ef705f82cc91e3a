import {Text} from 'ink';
import type {TestStatus} from '../events.js';
import type {resultParts} from '../words/lines.js';
import {statusColor} from './status-color.js';

/** A finished file, the same words as the plain log with its mark coloured; printed once, above the live rows. */
export function FinishedRow({status, parts: {mark, label, file, details}}: {status: TestStatus; parts: ReturnType<typeof resultParts>}) {
	return (
		<Text>
			<Text color={statusColor[status]}>{mark} {label}</Text> {file} <Text dimColor>{details}</Text>
		</Text>
	);
}
