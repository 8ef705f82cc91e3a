import assert from 'node:assert/strict';
import {readFileSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {fileFolder, safeName, streamLogs} from '../../source/run/file-logs.js';
import {folder} from '../helpers/folder.js';
import {hostileNames} from '../helpers/names.js';

test('a folder per test file: hostile names become distinct, plain names that stay inside the output dir', () => {
	const root = '/out';
	const names = [...hostileNames, '../up.sh', 'a/./b.sh', 'é.sh', '%41.sh', 'A.sh', '.', '..', 'x'.repeat(300), `${'x'.repeat(300)}y`];
	const folders = names.map(name => fileFolder(root, name));
	assert.equal(new Set(folders).size, names.length, 'no two files share a folder');
	for (const [index, folderPath] of folders.entries()) {
		assert.ok(folderPath.startsWith(`${root}/files/`), folderPath);
		assert.equal(path.normalize(folderPath), folderPath, `${JSON.stringify(names[index])} takes no step up or aside`);
		for (const part of path.relative(`${root}/files`, folderPath).split('/')) {
			assert.match(part, /^[\w.%~-]+$/);
			assert.ok(Buffer.byteLength(part) <= 200);
		}
	}

	assert.equal(fileFolder(root, 'features/cart/adding.feature'), '/out/files/features/cart/adding.feature');
	assert.equal(safeName('new\nline $x.sh'), 'new%0Aline%20%24x.sh');
	assert.equal(safeName('..'), '%2E%2E');
});

test('a file\'s whole output, stream by stream, as it comes; what the container wrote of itself at the end is taken off', () => {
	const directory = path.join(folder(), 'files', 'a.sh');
	const logs = streamLogs(directory);
	const chunk = Buffer.alloc(64 * 1024, 'x');
	for (let index = 0; index < 80; index++) {
		logs.write('stdout', chunk);
	}

	logs.write('stderr', Buffer.from('oops\n'));
	logs.write('stderr', Buffer.from('not the test\'s'));
	logs.drop('stderr', 'not the test\'s'.length);
	logs.close();
	logs.write('stdout', Buffer.from('after close: dropped'));
	assert.deepEqual(readdirSync(directory).sort(), ['stderr.log', 'stdout.log']);
	assert.equal(statSync(path.join(directory, 'stdout.log')).size, 80 * 64 * 1024);
	assert.equal(readFileSync(path.join(directory, 'stderr.log'), 'utf8'), 'oops\n');
});
