import {Text} from 'ink';
import {formatDuration, printable} from '../words/format.js';
import type {RunningTest} from '../run/state.js';
import {spinnerFrame} from './spinner.js';
import {fitStart, textWidth, truncateEnd} from './text.js';

/** Below this many columns the container id gives way to the path and the output. */
const idMinWidth = 60;
const idLength = 12;
const elapsedWidth = 6;

/** The widest path column a set of rows may share: the longest path, but never more than half the line. */
export function pathColumnWidth(tests: readonly RunningTest[], width: number): number {
	const longest = Math.max(0, ...tests.map(test => textWidth(printable(test.file))));
	return Math.max(1, Math.min(longest, Math.floor(width / 2)));
}

/**
One running container as a line of at most `width` columns: path (cut from the start, so the file
name stays), short container id, elapsed time, and as much of its last output line as fits.
*/
export function runningRowParts(test: RunningTest, now: number, width: number, pathWidth: number) {
	const elapsed = formatDuration(Math.max(0, now - test.startedAt)).padStart(elapsedWidth);
	// A retry shows which attempt it is where the container id goes: the id of a retry tells a person less.
	const retry = test.attempt > 1 ? `attempt ${test.attempt}${test.attempt > test.maxAttempts ? '' : `/${test.maxAttempts}`}`.slice(0, idLength) : '';
	// A part of a split file says which: its rows share the path.
	const part = test.part ? `part ${test.part.index}/${test.part.count}`.slice(0, idLength) : '';
	const id = width >= idMinWidth ? (retry || part || test.containerId.slice(0, idLength)) : '';
	const fixed = 2 + (id ? 2 + idLength : 0) + 1 + elapsedWidth;
	const path = fitStart(printable(test.file), Math.max(1, Math.min(pathWidth, width - fixed)));
	const room = width - fixed - textWidth(path) - 2;
	const output = test.lastLine && room >= 4 ? truncateEnd(test.lastLine, room) : '';
	return {spinner: spinnerFrame(now), path, id, retry: id !== '' && id === retry, elapsed, output};
}

type Props = {
	test: RunningTest;
	now: number;
	width: number;
	pathWidth: number;
};

export function RunningRow({test, now, width, pathWidth}: Props) {
	const {spinner, path, id, retry, elapsed, output} = runningRowParts(test, now, width, pathWidth);
	return (
		<Text wrap="truncate-end">
			<Text color="cyan">{spinner}</Text> {path}
			{id && <Text dimColor={!retry} color={retry ? 'yellow' : undefined}>{`  ${id}`}</Text>}
			{` ${elapsed}`}
			{output && <Text dimColor>{`  ${output}`}</Text>}
		</Text>
	);
}
