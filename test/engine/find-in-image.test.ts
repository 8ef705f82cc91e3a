import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {lastValueFrom, toArray} from 'rxjs';
import {dockerBackend} from '../../source/backends/docker/backend.js';
import {buildImage} from '../../source/backends/docker/build.js';
import {dockerEngine} from '../../source/backends/docker/dockerode.js';
import {BaleenError} from '../../source/errors.js';
import {run} from '../../source/run/run.js';
import {leftovers} from '../helpers/cli.js';
import {removeImage, results, testTag} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';

const engine = dockerEngine();
const suiteImage = testTag('find');
const shellessImage = testTag('no-shell');

// A busybox image holding its suite: nested folders, a hidden file, a name with a newline, a non-test file.
const suiteDockerfile = `FROM baleen-test-shell
RUN mkdir -p /suite/features/deep/er /suite/docs \\
 && echo 'echo a' > /suite/features/a.feature \\
 && echo 'echo b' > /suite/features/deep/er/b.feature \\
 && echo 'echo n' > "$(printf '/suite/features/new\\nline.feature')" \\
 && echo 'exit 5' > /suite/features/broken.feature \\
 && echo 'echo hidden' > /suite/features/.hidden.feature \\
 && echo 'notes' > /suite/docs/notes.txt
`;

before(async () => {
	const labels = {'baleen.test': 'find-in-image'};
	await buildImage({directory: folder({Dockerfile: suiteDockerfile}), tag: suiteImage, labels}, engine, () => undefined);
	await buildImage({directory: folder({Dockerfile: 'FROM scratch\nCOPY data.txt /data.txt\n', 'data.txt': 'no shell here\n'}), tag: shellessImage, labels}, engine, () => undefined);
});

after(async () => {
	await removeImage(suiteImage);
	await removeImage(shellessImage);
});

async function runIn(image: string, patterns: string[]) {
	const runId = `find-${randomUUID().slice(0, 8)}`;
	const events = lastValueFrom(run({
		image, patterns, findInImage: true, workdir: '/suite', command: 'sh {file}', concurrency: 2, runId,
	}, {backend: dockerBackend(engine)}).pipe(toArray()));
	return {runId, events};
}

describe('--find-in-image on a busybox image', () => {
	test('finds the files inside the image with ** (which busybox find lacks), names as data, and runs them', async () => {
		const {runId, events} = await runIn(suiteImage, ['features/**/*.feature']);
		const all = await events;
		assert.deepEqual(results(all), {
			'features/a.feature': 'passed 0',
			'features/broken.feature': 'failed 5',
			'features/deep/er/b.feature': 'passed 0',
			'features/new\nline.feature': 'passed 0',
		});
		const newline = all.find(event => event.type === 'test-end' && event.file.includes('\n'));
		assert.equal(newline?.type === 'test-end' && newline.stdout, 'n\n');
		// The throwaway find container and the tests' containers are all gone.
		assert.deepEqual(leftovers(runId), []);
	});

	test('a symlink to a file counts as a file, as on the host: busybox\'s applets are all symlinks', async () => {
		const runId = `find-${randomUUID().slice(0, 8)}`;
		const all = await lastValueFrom(run({
			image: 'baleen-test-shell', patterns: ['bin/sl*', 'bin/true'], findInImage: true, workdir: '/', command: 'test -L {file} && test -x', runId,
		}, {backend: dockerBackend(engine)}).pipe(toArray()));
		assert.deepEqual(results(all), {'bin/sleep': 'passed 0', 'bin/true': 'passed 0'});
		assert.deepEqual(leftovers(runId), []);
	});

	test('no match in the image is told before any test', async () => {
		const {runId, events} = await runIn(suiteImage, ['specs/*.js']);
		await assert.rejects(events, (error: Error) => error instanceof BaleenError
			&& error.message === `no file matches specs/*.js in the image ${suiteImage} at /suite`);
		assert.deepEqual(leftovers(runId), []);
	});

	test('an image without a shell gets a clear error, and its container is removed', async () => {
		const {runId, events} = await runIn(shellessImage, ['*.txt']);
		await assert.rejects(events, (error: Error) => error instanceof BaleenError
			&& error.message.startsWith(`--find-in-image in ${shellessImage} at /suite: the image has no /bin/sh to run find with`));
		assert.deepEqual(leftovers(runId), []);
	});
});
