import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Tail, lastLine} from '../../source/run/tail.js';

test('a tail keeps everything up to its limit', () => {
	const tail = new Tail(10);
	tail.write(Buffer.from('abc'));
	tail.write(Buffer.from('def'));
	assert.equal(tail.toString(), 'abcdef');
	assert.equal(tail.bytes, 6);
});

test('a tail keeps only the last bytes and counts them all', () => {
	const tail = new Tail(8);
	for (let index = 0; index < 1000; index++) {
		tail.write(Buffer.from(`line ${index}\n`));
	}

	assert.equal(tail.toString(), '\nline 999\n'.slice(-8));
	assert.equal(tail.bytes, [...Array.from({length: 1000}).keys()].reduce((sum, index) => sum + `line ${index}\n`.length, 0));
});

test('a tail that fills and wraps keeps the last bytes in order, whatever the chunks', () => {
	const text = Array.from({length: 300}, (_, index) => `line ${index}\n`).join('');
	for (const size of [1, 3, 7, 10, 64, 1000]) {
		const tail = new Tail(100);
		for (let at = 0; at < text.length; at += size) {
			tail.write(Buffer.from(text.slice(at, at + size)));
			assert.equal(tail.toString(), text.slice(Math.max(0, Math.min(at + size, text.length) - 100), at + size), `chunks of ${size}, at ${at}`);
		}
	}
});

test('a tail\'s ending is its last bytes, through the wrap and before it, never more than it kept', () => {
	const text = Array.from({length: 300}, (_, index) => `line ${index}\n`).join('');
	for (const size of [1, 7, 100, 1000]) {
		const tail = new Tail(100);
		for (let at = 0; at < text.length; at += size) {
			tail.write(Buffer.from(text.slice(at, at + size)));
			const written = text.slice(0, at + size);
			for (const wanted of [0, 1, 30, 100, 500]) {
				assert.equal(tail.ending(wanted), written.slice(Math.max(0, written.length - Math.min(wanted, 100))), `chunks of ${size}, at ${at}, the last ${wanted}`);
			}
		}
	}
});

test('a wrap through a multi-byte character keeps it whole', () => {
	const tail = new Tail(5);
	tail.write(Buffer.from('abcd'));
	tail.write(Buffer.from('é')); // Two bytes: one at the buffer's end, one at its start.
	assert.equal(tail.toString(), 'bcdé');
});

test('a chunk larger than the limit is cut to its end', () => {
	const tail = new Tail(4);
	tail.write(Buffer.from('0123456789'));
	assert.equal(tail.toString(), '6789');
	assert.equal(tail.bytes, 10);
});

test('a cut through a multi-byte character drops the broken part', () => {
	const tail = new Tail(5);
	tail.write(Buffer.from('ééé')); // Six bytes: the first é loses a byte.
	assert.equal(tail.toString(), 'éé');
});

test('lastLine takes the last non-empty line without control sequences', () => {
	assert.equal(lastLine(Buffer.from('first\nsecond\n\n')), 'second');
	assert.equal(lastLine(Buffer.from('progress 10%\rprogress 20%')), 'progress 20%');
	assert.equal(lastLine(Buffer.from('\u001B[32mgreen\u001B[0m\n')), 'green');
	assert.equal(lastLine(Buffer.from('x'.repeat(500)), 20), 'x'.repeat(20));
	assert.equal(lastLine(Buffer.from('\n\n')), '');
});

test('a reset tail keeps nothing and counts from zero', () => {
	const tail = new Tail(8);
	tail.write(Buffer.from('0123456789'));
	tail.reset();
	tail.write(Buffer.from('ab'));
	assert.equal(tail.toString(), 'ab');
	assert.equal(tail.bytes, 2);
});
