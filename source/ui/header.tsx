import {Text} from 'ink';
import type {RunStart} from '../events.js';

/** What the run is: how many files, in which image, how many at once, on which engine. Printed once. */
export function Header({start}: {start: RunStart}) {
	return (
		<Text>
			<Text bold>baleen</Text> {start.total} {start.total === 1 ? 'file' : 'files'} in <Text bold>{start.image}</Text>, {start.concurrency} at once <Text dimColor>({start.engine})</Text>
		</Text>
	);
}
