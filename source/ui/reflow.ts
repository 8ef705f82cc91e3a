import {stripVTControlCharacters} from 'node:util';
import stringWidth from 'string-width';

const eraseLine = '\u001B[2K';
const cursorUp = '\u001B[1A';
const cursorToStart = '\u001B[G';

/** What `ansi-escapes`' eraseLines writes: the cursor's line and `count - 1` above it, ending at the top one. */
export function eraseLines(count: number): string {
	return count <= 0 ? '' : `${`${eraseLine}${cursorUp}`.repeat(count - 1)}${eraseLine}${cursorToStart}`;
}

/** How many rows `frame` takes once a terminal rewraps it to `columns`, without the line the cursor waits on. */
export function rowsAt(frame: string, columns: number): {lines: number; rows: number} {
	const lines = stripVTControlCharacters(frame).split('\n');
	const visible = frame.endsWith('\n') ? lines.slice(0, -1) : lines;
	const rows = visible.reduce((sum, line) => sum + Math.max(1, Math.ceil(stringWidth(line) / Math.max(1, columns))), 0);
	return {lines: visible.length, rows};
}

type Stream = Pick<NodeJS.WriteStream, 'columns' | 'write' | 'prependListener' | 'off'>;

/**
Terminals that reflow text (tmux, VTE, kitty) rewrap the live frame when the window narrows, so it then
takes more rows than Ink counted, and Ink's erase before the next frame would leave the surplus on
screen. Before Ink hears of the resize, this erases the whole rewrapped frame and steps back down as
many rows as Ink will erase, so that Ink's erase lands on blank rows. Returns the undo.
*/
export function eraseReflowedFrames(stream: Stream): () => void {
	let frame = '';
	let columns = stream.columns;
	const write = stream.write;
	// Ink writes each live frame last, after any static output: the last visible text written is the
	// frame on screen (the synchronized-output markers around it come as writes of their own).
	stream.write = function (this: Stream, chunk: unknown, ...rest: unknown[]) {
		if (typeof chunk === 'string' && stripVTControlCharacters(chunk).trim() !== '') {
			frame = chunk;
		}

		return (write as (...arguments_: unknown[]) => boolean).call(this, chunk, ...rest);
	} as Stream['write'];

	const onResize = () => {
		const narrower = stream.columns < columns;
		columns = stream.columns;
		const {lines, rows} = rowsAt(frame, columns);
		if (narrower && rows > lines) {
			write.call(stream, eraseLines(rows + 1) + '\n'.repeat(lines));
		}
	};

	stream.prependListener('resize', onResize);
	return () => {
		stream.write = write;
		stream.off('resize', onResize);
	};
}
