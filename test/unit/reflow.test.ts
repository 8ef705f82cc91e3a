import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {test} from 'node:test';
import ansiEscapes from 'ansi-escapes';
import {eraseLines, eraseReflowedFrames, rowsAt} from '../../source/ui/reflow.js';

test('eraseLines writes what Ink\'s own erase writes', () => {
	for (const count of [0, 1, 2, 9]) {
		assert.equal(eraseLines(count), ansiEscapes.eraseLines(count));
	}
});

test('rowsAt counts the rows a frame takes once rewrapped, colours and all', () => {
	const frame = `\u001B[36m${'x'.repeat(62)}\u001B[39m\n${'y'.repeat(40)}\n\n${'z'.repeat(81)}\n`;
	assert.deepEqual(rowsAt(frame, 40), {lines: 4, rows: 2 + 1 + 1 + 3});
	assert.deepEqual(rowsAt(frame, 100), {lines: 4, rows: 4});
});

class FakeTty extends EventEmitter {
	columns = 100;
	written: string[] = [];
	write(chunk: string) {
		this.written.push(chunk);
		return true;
	}
}

test('when the terminal narrows, the whole rewrapped frame is erased before Ink erases what it counted', () => {
	const tty = new FakeTty();
	// Ink listens first (it is rendered before); the erase must still come before Ink hears of the resize.
	let inkSaw: string[] = [];
	tty.on('resize', () => {
		inkSaw = [...tty.written];
	});
	const undo = eraseReflowedFrames(tty as unknown as NodeJS.WriteStream);
	const frame = `${'a'.repeat(62)}\n${'b'.repeat(30)}\n`;
	tty.write('\u001B[?2026h');
	tty.write(frame);
	tty.write('\u001B[?2026l');
	tty.columns = 40;
	tty.emit('resize');
	// 62 columns take 2 rows at 40, 30 take 1: three rows and the cursor's, then down again by the 2 lines Ink counts.
	assert.equal(inkSaw.at(-1), eraseLines(4) + '\n\n');
	undo();
	tty.columns = 20;
	tty.emit('resize');
	assert.equal(tty.written.length, inkSaw.length, 'undone: nothing more is written');
});

test('a wider terminal, or a frame that still fits, needs nothing', () => {
	const tty = new FakeTty();
	eraseReflowedFrames(tty as unknown as NodeJS.WriteStream);
	tty.write(`${'a'.repeat(30)}\n`);
	tty.columns = 40;
	tty.emit('resize');
	tty.columns = 120;
	tty.emit('resize');
	assert.deepEqual(tty.written, [`${'a'.repeat(30)}\n`]);
});
