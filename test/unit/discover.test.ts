import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {discover} from '../../source/discover/host.js';

const directory = mkdtempSync(path.join(tmpdir(), 'baleen-discover-'));
for (const file of ['b/two.sh', 'a/one.sh', 'a/deep/three.sh', 'a [1].sh', 'notes.txt', 'new\nline.sh']) {
	mkdirSync(path.dirname(path.join(directory, file)), {recursive: true});
	writeFileSync(path.join(directory, file), '');
}

test('globs match relative to cwd, sorted, each file once', async () => {
	assert.deepEqual(await discover(['**/*.sh', 'a/*.sh', 'b/two.sh'], directory), [
		'a [1].sh', 'a/deep/three.sh', 'a/one.sh', 'b/two.sh', 'new\nline.sh',
	]);
});

test('an existing path is taken literally, even with glob characters', async () => {
	assert.deepEqual(await discover(['a [1].sh'], directory), ['a [1].sh']);
	assert.deepEqual(await discover(['./b/../b/two.sh'], directory), ['b/two.sh']);
});

test('a directory stands for every file below it', async () => {
	assert.deepEqual(await discover(['a'], directory), ['a/deep/three.sh', 'a/one.sh']);
});

test('nothing matching gives an empty list', async () => {
	assert.deepEqual(await discover(['*.rb'], directory), []);
});
