import assert from 'node:assert/strict';
import {test} from 'node:test';
import {foundFiles, matcher, searchRoots} from '../../source/discover/image.js';

test('find walks only the fixed leading folders of the patterns', () => {
	assert.deepEqual(searchRoots(['features/**/*.feature', 'spec/unit/*.js', 'features/x.feature']), ['features', 'spec/unit', 'features/x.feature']);
	assert.deepEqual(searchRoots(['./test/', '/suite/f/*.sh']), ['test', '/suite/f']);
	assert.deepEqual(searchRoots(['features/*.feature', '*.sh']), ['.']);
});

test('globs are matched on the host, ** included (busybox find has no globstar)', () => {
	const matches = matcher(['features/**/*.feature']);
	assert.equal(matches('features/a.feature'), true);
	assert.equal(matches('features/deep/er/b.feature'), true);
	assert.equal(matches('features/a.feature.bak'), false);
	assert.equal(matches('other/a.feature'), false);
	assert.equal(matches('features/.hidden.feature'), false);
});

test('a literal path names a file, or a folder standing for the files below it, as on the host', () => {
	const matches = matcher(['a [1].sh', 'test/']);
	assert.equal(matches('a [1].sh'), true);
	assert.equal(matches('test/x/y.sh'), true);
	assert.equal(matches('test/.cache/y'), false);
	assert.equal(matches('tests/y.sh'), false);
	assert.equal(matcher(['.'])('anything/at/all'), true);
});

test('find\'s NUL-separated output is taken as data: newlines in names survive, ./ goes, each once, sorted', () => {
	const output = Buffer.from(['./b.sh', 'features/new\nline.feature', 'a.sh', './a.sh', 'features/z.feature', 'README.md', ''].join('\0'));
	assert.deepEqual(foundFiles(output, ['*.sh', 'features/**/*.feature']), ['a.sh', 'b.sh', 'features/new\nline.feature', 'features/z.feature']);
	assert.deepEqual(foundFiles(Buffer.alloc(0), ['*.sh']), []);
});
