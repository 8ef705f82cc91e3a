import {Box, Text} from 'ink';
import type {EngineLoad} from '../run/state.js';
import {truncateEnd} from './text.js';

/** `unix:///tmp/a.sock  2/4 busy  17 done`, the names padded to one column. */
export function engineLine({name, slots, busy, done}: EngineLoad, nameWidth: number): string {
	return `  ${name.padEnd(nameWidth)}  ${busy}/${slots} busy  ${done} done`;
}

/** The engines' lines a view shows: one per engine, when the run has more than one. */
export function engineLines(engines: readonly EngineLoad[] | undefined): number {
	return engines && engines.length > 1 ? engines.length : 0;
}

/** A line per engine of a run over several: how busy each is, and how many files it has done. */
export function EngineRows({engines, width}: {engines?: readonly EngineLoad[]; width: number}) {
	if (engineLines(engines) === 0) {
		return null;
	}

	const nameWidth = Math.max(...engines!.map(({name}) => name.length));
	return (
		<Box flexDirection="column">
			{engines!.map(load => <Text key={load.name} dimColor>{truncateEnd(engineLine(load, nameWidth), width)}</Text>)}
		</Box>
	);
}
