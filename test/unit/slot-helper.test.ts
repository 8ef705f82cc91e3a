import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {from, lastValueFrom, toArray, type Observable} from 'rxjs';
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
		const request = slotRequest(nonce, {cmd: ['sh', '-c', 'echo "$X" it\'s'], env: ['X=a b', 'odd-name=1'], clear: ['/tmp/results dir/r.xml']});
		assert.equal(request, `${nonce}\nrm -rf -- '/tmp/results dir/r.xml'\nexec env 'X=a b' odd-name=1 sh -c 'echo "$X" it'\\''s'\n${nonce}\n`);
	});
});
