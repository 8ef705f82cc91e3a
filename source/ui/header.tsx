import {Text} from 'ink';
import type {RunStart} from '../events.js';
import {startParts} from '../words/lines.js';

/** What the run is: how many files, in which image, how many at once, on which engine. Printed once. */
export function Header({start}: {start: RunStart}) {
	const {files, image, concurrency, engine} = startParts(start);
	return (
		<Text>
			<Text bold>baleen</Text> {files} in <Text bold>{image}</Text>, {concurrency} <Text dimColor>({engine})</Text>
		</Text>
	);
}
