import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {baleen, leftovers, runStart} from '../helpers/cli.js';
import {imageLabels, removeImage, results, testTag} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';

const built = testTag('build');
const broken = testTag('build-broken');

after(async () => {
	await removeImage(built);
	await removeImage(broken);
});

describe('--build', () => {
	test('builds the folder honouring .dockerignore, tags and labels the image, shows progress on stderr, then runs', async () => {
		const context = folder({
			Dockerfile: 'FROM baleen-test-shell\nCOPY . /suite\nRUN test ! -e /suite/secret.txt && test ! -e /suite/tests/skip.sh\n',
			'.dockerignore': 'secret.txt\ntests/skip.sh\n',
			'secret.txt': 'do not send\n',
			'tests/one.sh': 'echo one\n',
			'tests/sub/two.sh': 'exit 4\n',
			'tests/skip.sh': 'echo skipped\n',
		});
		const {code, events, stderr} = await baleen(['--build', '.', '-i', built, '--find-in-image', '-w', '/suite', '-c', 'sh {file}', 'tests/**/*.sh'], {cwd: context});
		const start = runStart(events);
		assert.deepEqual(leftovers(start.runId), []);
		assert.equal(code, 1);
		assert.deepEqual(events[0], {schema: 1, type: 'build-start', image: built, context});
		assert.match(stderr, /^Step 1\/\d+ : FROM baleen-test-shell$/m);
		assert.match(stderr, new RegExp(`^Successfully tagged ${built}$`, 'm'));
		assert.deepEqual(results(events), {'tests/one.sh': 'passed 0', 'tests/sub/two.sh': 'failed 4'});
		// Its own labels, beside those it inherits from baleen-test-shell.
		const labels = await imageLabels(built);
		assert.equal(labels?.['baleen.run'], start.runId);
		assert.equal(labels?.['baleen.context'], context);
	});

	test('a failing build ends with the build\'s own error and exit 2, and no run', async () => {
		const context = folder({Dockerfile: 'FROM baleen-test-shell\nRUN echo preparing && exit 7\n', 'tests/one.sh': 'echo one\n'});
		const {code, events, stderr} = await baleen(['--build', context, '-i', broken, '-c', 'sh {file}', 'tests/*.sh'], {cwd: context});
		assert.equal(code, 2);
		assert.deepEqual(events.map(event => event.type), ['build-start']);
		assert.match(stderr, /^preparing$/m);
		assert.equal(stderr.trimEnd().split('\n').at(-1), `baleen: --build ${context} failed: The command '/bin/sh -c echo preparing && exit 7' returned a non-zero code: 7`);
		assert.equal(await imageLabels(broken), undefined);
	});
});
