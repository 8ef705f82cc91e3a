import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {baleen, leftovers, runStart} from '../helpers/cli.js';
import {docker, imageLabels, removeImage, results, testTag} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';

const built = testTag('build');
const broken = testTag('build-broken');
const rebuilt = testTag('rebuild');
/**
A file naming the test's own tag, so that the image is this test's alone: another run of the suite on the engine
building the same folder would get the same image from the cache, and the one run's removal of the image its
tag replaced took it from under the other's.
*/
const own = (tag: string) => ({'tag.txt': `${tag}\n`});

after(async () => {
	await removeImage(built);
	await removeImage(broken);
	await removeImage(rebuilt);
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
			...own(built),
		});
		const {code, events, stderr} = await baleen(['--build', '.', '-i', built, '--find-in-image', '-w', '/suite', '-c', 'sh {file}', 'tests/**/*.sh'], {cwd: context});
		const start = runStart(events);
		assert.deepEqual(leftovers(start.runId), []);
		assert.equal(code, 1);
		assert.deepEqual(events[0], {schema: 2, type: 'build-start', image: built, context});
		assert.match(stderr, /^Step 1\/\d+ : FROM baleen-test-shell$/m);
		assert.match(stderr, new RegExp(`^Successfully tagged ${built}$`, 'm'));
		assert.deepEqual(results(events), {'tests/one.sh': 'passed 0', 'tests/sub/two.sh': 'failed 4'});
		// Its own label, beside those it inherits from baleen-test-shell; no run id, which would defeat the cache.
		const labels = await imageLabels(built);
		assert.equal(labels?.['baleen.context'], context);
		assert.equal(labels?.['baleen.run'], undefined);
	});

	test('a second build of the same folder is the cached image; a build of a changed one removes the image it replaces', async () => {
		const context = folder({Dockerfile: 'FROM baleen-test-shell\nCOPY . /suite\n', 'tests/one.sh': 'echo one\n', ...own(rebuilt)});
		const args = ['--build', '.', '-i', rebuilt, '--find-in-image', '-w', '/suite', '-c', 'sh {file}', 'tests/*.sh'];
		const fresh = await baleen(args, {cwd: context});
		assert.equal(fresh.code, 0, fresh.stderr);
		const first = (await docker.getImage(rebuilt).inspect()).Id;
		const again = await baleen(args, {cwd: context});
		assert.equal(again.code, 0, again.stderr);
		assert.match(again.stderr, /Using cache/);
		assert.equal((await docker.getImage(rebuilt).inspect()).Id, first, 'nothing changed: the same image, no dangling one');
		writeFileSync(path.join(context, 'tests/one.sh'), 'echo changed\n');
		const changed = await baleen(args, {cwd: context});
		assert.equal(changed.code, 0, changed.stderr);
		assert.notEqual((await docker.getImage(rebuilt).inspect()).Id, first);
		await assert.rejects(docker.getImage(first).inspect(), (error: {statusCode?: number}) => error.statusCode === 404, 'the replaced image is gone');
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
