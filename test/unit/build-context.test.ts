import assert from 'node:assert/strict';
import {symlinkSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {buildImage, contextFiles} from '../../source/backends/docker/build.js';
import type {Engine} from '../../source/backends/docker/engine.js';
import {BaleenError} from '../../source/errors.js';
import {folder} from '../helpers/folder.js';


test('the build context honours .dockerignore with Docker\'s rules, exceptions included', async () => {
	const directory = folder({
		Dockerfile: 'FROM scratch\n',
		'.dockerignore': 'node_modules\n*.log\n!keep.log\nsecret/**\nDockerfile\n.dockerignore\n',
		'src/app.js': '',
		'src/debug.log': '',
		'debug.log': '',
		'keep.log': '',
		'node_modules/x/index.js': '',
		'secret/key': '',
	});
	symlinkSync('src/app.js', path.join(directory, 'link.js'));
	assert.deepEqual(await contextFiles(directory), ['.dockerignore', 'Dockerfile', 'keep.log', 'link.js', 'src/app.js', 'src/debug.log']);
});

test('without .dockerignore every file goes', async () => {
	const directory = folder({Dockerfile: '', 'a/b/c.txt': ''});
	assert.deepEqual(await contextFiles(directory), ['Dockerfile', 'a/b/c.txt']);
});

test('baleen\'s own records never go: a run that records its timings beside the Dockerfile would miss the cache every time', async () => {
	const directory = folder({Dockerfile: '', '.baleen/timings.json': '{}', '.baleenrc': '', 'src/.baleen/x': ''});
	assert.deepEqual(await contextFiles(directory), ['.baleenrc', 'Dockerfile', 'src/.baleen/x']);
});

test('a folder without a Dockerfile, or no folder at all, is told before the engine is asked', async () => {
	const engine = {build: async () => assert.fail('the engine was asked to build')} as unknown as Engine;
	const job = {tag: 't', labels: {}};
	await assert.rejects(buildImage({...job, directory: folder({'x.txt': ''})}, engine, () => undefined), (error: Error) => error instanceof BaleenError && /there is no Dockerfile in it$/.test(error.message));
	await assert.rejects(buildImage({...job, directory: '/nowhere/at/all'}, engine, () => undefined), /--build \/nowhere\/at\/all: there is no such folder/);
});

test('a failed build ends with the build\'s own message', async () => {
	const engine = {build: async () => Promise.reject(Object.assign(new Error('HTTP noise'), {json: {message: 'The command \'/bin/sh -c exit 7\' returned a non-zero code: 7'}}))} as unknown as Engine;
	const directory = folder({Dockerfile: ''});
	await assert.rejects(buildImage({directory, tag: 't', labels: {}}, engine, () => undefined), {name: 'BaleenError', message: `--build ${directory} failed: The command '/bin/sh -c exit 7' returned a non-zero code: 7`});
});
