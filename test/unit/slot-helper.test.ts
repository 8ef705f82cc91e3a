import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {from, lastValueFrom, Subject, toArray, type Observable} from 'rxjs';
import type {Output} from '../../source/backends/backend.js';
import {fileOutput, slotRequest, type SlotEvent} from '../../source/backends/docker/slot-helper.js';

const nonce = 'f00dfeedf00dfeed';
const out = (text: string): Output => ({stream: 'stdout', chunk: Buffer.from(text)});
const err = (text: string): Output => ({stream: 'stderr', chunk: Buffer.from(text)});

/** What the file's events come to: its output per stream as text, then its end. */
async function told(source: Observable<Output>) {
	const events: SlotEvent[] = await lastValueFrom(source.pipe(fileOutput(nonce), toArray()));
	const text = (stream: Output['stream']) => events.flatMap(event => (event.type === 'output' && event.stream === stream ? [event.chunk.toString()] : [])).join('');
	return {stdout: text('stdout'), stderr: text('stderr'), end: events.at(-1)};
}

describe('a slot\'s helper', () => {
	test('a file\'s output is everything before the nonce, its end the status line after it', async () => {
		const {stdout, stderr, end} = await told(from([out('hello\n'), err('oops'), out(`no newline${nonce} 3 0\n`), err(`${nonce}\n`)]));
		assert.deepEqual([stdout, stderr, end], ['hello\nno newline', 'oops', {type: 'end', exitCode: 3, ooms: 0}]);
	});

	test('a nonce split across chunks is found, and the bytes that only looked like its start are told', async () => {
		const {stdout, end} = await told(from([out('ab'), out(nonce.slice(0, 3)), out('x'), out(nonce.slice(0, 5)), out(nonce.slice(5)), out(' 0 '), out('2\n'), err(nonce)]));
		assert.equal(stdout, `ab${nonce.slice(0, 3)}x`);
		assert.deepEqual(end, {type: 'end', exitCode: 0, ooms: 2});
	});

	test('output of the next file, after the status, is not this file\'s', async () => {
		const {stdout, end} = await told(from([out(`mine${nonce} 0 0\nnext file's`), err(nonce)]));
		assert.deepEqual([stdout, end], ['mine', {type: 'end', exitCode: 0, ooms: 0}]);
	});

	test('a slot whose output ends before the file\'s end is an error', async () => {
		await assert.rejects(told(from([out('half')])), /the slot's container ended while a file ran in it/);
	});

	test('a request runs the command with its env, after clearing the paths, whatever their characters', () => {
		const request = slotRequest(nonce, {cmd: ['sh', '-c', 'echo "$X" it\'s'], env: ['X=a b', 'odd-name=1'], clear: ['/tmp/results dir/r.xml'], results: '/tmp/results dir/r.xml'});
		assert.equal(request, `${nonce}\n/tmp/results dir/r.xml\nrm -rf -- '/tmp/results dir/r.xml'\nexec env 'X=a b' odd-name=1 sh -c 'echo "$X" it'\\''s'\n${nonce}\n`);
	});

	test('a request without a results file, or with one whose path has a line break, asks for none', () => {
		for (const results of [undefined, '/tmp/two\nlines.xml']) {
			assert.equal(slotRequest(nonce, {cmd: ['true'], env: [], results}), `${nonce}\n\nexec env true\n${nonce}\n`);
		}
	});

	test('a results file sent after the status is the bytes up to the nonce again, whatever the chunks', async () => {
		const xml = '<testsuite tests="1">\n</testsuite>';
		const {stdout, end} = await told(from([
			out(`file's own${nonce} 1 0 sent\n${xml.slice(0, 7)}`), out(xml.slice(7)), out(nonce.slice(0, 4)), err(nonce), out(`${nonce.slice(4)}next file's`),
		]));
		assert.equal(stdout, 'file\'s own');
		assert.deepEqual(end, {type: 'end', exitCode: 1, ooms: 0, results: {bytes: xml.length, data: Buffer.from(xml)}});
	});

	test('the file ends only once its results file came in full, even after the stderr nonce', async () => {
		const events: SlotEvent[] = [];
		const output = new Subject<Output>();
		output.pipe(fileOutput(nonce)).subscribe(event => events.push(event));
		output.next(out(`${nonce} 0 0 sent\n<half`));
		output.next(err(nonce));
		assert.deepEqual(events, []);
		output.next(out(`/>${nonce}`));
		assert.deepEqual(events, [{type: 'end', exitCode: 0, ooms: 0, results: {bytes: 7, data: Buffer.from('<half/>')}}]);
	});

	test('a results file bigger than what is kept is counted, not kept', async () => {
		const events = await lastValueFrom(from([out(`${nonce} 0 0 sent\n${'x'.repeat(100)}`), out(`${'y'.repeat(50)}${nonce}`), err(nonce)]).pipe(fileOutput(nonce, 120), toArray()));
		assert.deepEqual(events, [{type: 'end', exitCode: 0, ooms: 0, results: {bytes: 150}}]);
	});
});
