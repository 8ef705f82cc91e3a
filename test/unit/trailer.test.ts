import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, test} from 'node:test';
import {from, lastValueFrom, toArray, type Observable} from 'rxjs';
import type {Output} from '../../source/backends/backend.js';
import {resultsTrailer, type Sent} from '../../source/backends/docker/trailer.js';
import {measured, sentHeader} from '../../source/resources/probe.js';

const header = 'baleen-resources-f00dfeedf00dfeed-sent';
const out = (text: string): Output => ({stream: 'stdout', chunk: Buffer.from(text)});
const err = (text: string): Output => ({stream: 'stderr', chunk: Buffer.from(text)});

/** What the container's output comes to: each stream as text, and the results file sent, if it came whole. */
async function told(source: Observable<Output>, keepAtMost?: number) {
	const events: Array<Output | Sent> = await lastValueFrom(source.pipe(resultsTrailer(header, keepAtMost), toArray()));
	const text = (stream: Output['stream']) => events.flatMap(event => ('stream' in event && event.stream === stream ? [event.chunk.toString()] : [])).join('');
	const sent = events.filter((event): event is Sent => 'type' in event);
	return {stdout: text('stdout'), stderr: text('stderr'), sent};
}

describe('the results file sent behind a container\'s output', () => {
	test('is the SIZE bytes after the header line, whatever the chunks; the output before it is told whole', async () => {
		const xml = `<testsuite>${header} 3\n</testsuite>`;
		const {stdout, stderr, sent} = await told(from([
			err('own stderr\nfigures'), out('stdout goes by'), err(header.slice(0, 9)), err(`${header.slice(9)} ${xml.length}`), err(`\n${xml.slice(0, 5)}`), err(xml.slice(5)),
		]));
		assert.deepEqual([stdout, stderr], ['stdout goes by', 'own stderr\nfigures']);
		assert.deepEqual(sent, [{type: 'sent', results: {bytes: xml.length, data: Buffer.from(xml)}}]);
	});

	test('bytes that only looked like the header\'s start are output, told once the stream says so', async () => {
		const {stderr, sent} = await told(from([err(`a${header.slice(0, 12)}`), err('x'), err(header.slice(0, 4))]));
		assert.deepEqual([stderr, sent], [`a${header.slice(0, 12)}x${header.slice(0, 4)}`, []]);
	});

	test('a file cut short (the container was killed while it was sent) is not told: it is copied out instead', async () => {
		const {stderr, sent} = await told(from([err(`mine${header} 10\nhalf`)]));
		assert.deepEqual([stderr, sent], ['mine', []]);
	});

	test('an empty file is sent as no bytes; one bigger than what is kept is counted, not kept', async () => {
		assert.deepEqual((await told(from([err(`${header} 0\n`)]))).sent, [{type: 'sent', results: {bytes: 0, data: Buffer.alloc(0)}}]);
		assert.deepEqual((await told(from([err(`${header} 150\n${'x'.repeat(100)}`), err('y'.repeat(50))]), 120)).sent, [{type: 'sent', results: {bytes: 150}}]);
	});

	test('a shell that is not the container\'s pid 1 sends nothing: its stderr ends with the figures, as without a results file', () => {
		const folder = mkdtempSync(path.join(tmpdir(), 'baleen-trailer-'));
		const results = path.join(folder, 'results dir.xml');
		writeFileSync(results, '<testsuite/>');
		const marker = 'baleen-resources-f00dfeedf00dfeed';
		const ran = spawnSync('/bin/sh', ['-c', measured('echo test output >&2; exit 3', marker, results)], {encoding: 'utf8'});
		assert.equal(ran.status, 3);
		assert.match(ran.stderr, new RegExp(`^test output\\n\\n${marker}\\n[^]*${marker}\\n$`));
		assert.ok(!ran.stderr.includes(sentHeader(marker)));
	});
});
