import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import tar from 'tar-stream';
import {copyOut} from '../../source/backends/docker/copy-out.js';
import type {Engine} from '../../source/backends/docker/engine.js';
import {folder} from '../helpers/folder.js';

type Entry = {name: string; type?: 'file' | 'directory' | 'symlink'; text?: string; linkname?: string};

/** A tar stream as the engine's archive endpoint answers. */
function archive(entries: Entry[]): NodeJS.ReadableStream {
	const pack = tar.pack();
	for (const {name, type = 'file', text = '', linkname} of entries) {
		if (type === 'file') {
			pack.entry({name, type}, text);
		} else {
			pack.entry({name, type, ...(linkname && {linkname})});
		}
	}

	pack.finalize();
	return pack as unknown as NodeJS.ReadableStream;
}

/** An engine whose containers hold these paths, each as the archive the engine would send. */
function engineWith(paths: Record<string, Entry[] | Error>): Engine {
	return {
		async archive(_id: string, file: string) {
			const found = paths[file];
			if (found instanceof Error) {
				throw found;
			}

			return found ? archive(found) : undefined;
		},
	} as unknown as Engine;
}

test('the results file comes back as text; a missing one says so', async () => {
	const engine = engineWith({'/tmp/junit.xml': [{name: 'junit.xml', text: '<testsuites/>'}]});
	assert.deepEqual(await copyOut(engine, 'c', {results: '/tmp/junit.xml'}), {results: {path: '/tmp/junit.xml', text: '<testsuites/>'}});
	assert.deepEqual(await copyOut(engine, 'c', {results: 'out/r.xml'}), {
		results: {path: 'out/r.xml', problem: 'no such file or folder in the container: out/r.xml (the framework wrote no results there)'},
	});
	const folderResults = await copyOut(engineWith({'/r': [{name: 'r', type: 'directory'}]}), 'c', {results: '/r'});
	assert.deepEqual(folderResults, {results: {path: '/r', problem: '/r is not a file'}});
});

test('artifacts land under the folder, files and folders alike; what would leave it, links and missing paths do not', async () => {
	const into = path.join(folder(), 'files', 'a.sh', 'artifacts');
	const engine = engineWith({
		'/suite/coverage': [
			{name: 'coverage', type: 'directory'},
			{name: 'coverage/lcov.info', text: 'TN:\n'},
			{name: 'coverage/deep/x.json', text: '{}'},
			{name: '../escaped.txt', text: 'no'},
			{name: 'coverage/link', type: 'symlink', linkname: '/etc'},
		],
		'shot.png': [{name: 'shot.png', text: 'PNG'}],
		'/broken': new Error('connection reset'),
	});
	const copied = await copyOut(engine, 'c', {artifacts: {paths: ['/suite/coverage', 'shot.png', '/nope', '/broken'], into}});
	assert.deepEqual(copied.artifacts, [
		{path: '/suite/coverage'},
		{path: 'shot.png'},
		{path: '/nope', problem: 'no such file or folder in the container: /nope'},
		{path: '/broken', problem: 'cannot copy /broken: connection reset'},
	]);
	assert.equal(readFileSync(path.join(into, 'coverage/lcov.info'), 'utf8'), 'TN:\n');
	assert.equal(readFileSync(path.join(into, 'coverage/deep/x.json'), 'utf8'), '{}');
	assert.equal(readFileSync(path.join(into, 'shot.png'), 'utf8'), 'PNG');
	assert.deepEqual(readdirSync(path.join(into, 'coverage')).sort(), ['deep', 'lcov.info']);
	assert.equal(existsSync(path.join(into, '..', 'escaped.txt')), false);
});

test('an engine that stops sending mid-copy fails that path after its deadline, and the copy goes on with the next', async () => {
	const into = path.join(folder(), 'artifacts');
	const stalled = () => {
		const stream = new PassThrough();
		stream.write(Buffer.alloc(256)); // Half a tar header, then nothing more.
		return stream;
	};

	const engine = {
		name: 'fake://engine',
		callTimeoutMs: 50,
		async archive(_id: string, file: string) {
			return file === '/stuck' ? stalled() : archive([{name: 'ok.txt', text: 'ok'}]);
		},
	} as unknown as Engine;
	const copied = await copyOut(engine, 'c', {results: '/stuck', artifacts: {paths: ['/stuck', '/ok.txt'], into}});
	assert.deepEqual(copied, {
		results: {path: '/stuck', problem: 'cannot read /stuck: the Docker engine at fake://engine sent nothing of a copy out of a container for 0.05 s'},
		artifacts: [
			{path: '/stuck', problem: 'cannot copy /stuck: the Docker engine at fake://engine sent nothing of a copy out of a container for 0.05 s'},
			{path: '/ok.txt'},
		],
	});
	assert.equal(readFileSync(path.join(into, 'ok.txt'), 'utf8'), 'ok');
});
