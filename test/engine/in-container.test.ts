import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import {readFileSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {leftovers, parseLines, runStart, shellImage, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const docker = (...args: string[]) => spawnSync('docker', args, {encoding: 'utf8', timeout: 240_000});

/**
baleen run as a CI job runs it: in a container of the node image, with the engine's socket and the
repository mounted; `owner` is the host name given that container, so that what baleen makes in it can be
told apart by its `baleen.owner` label (`<host name>:1`, baleen being the container's first process).
*/
function inCiContainer(owner: string, mounts: string[], workdir: string, script: string) {
	const label = `baleen.test=in-container-${owner}`;
	try {
		return docker(
			'run', '--rm', '--label', label, '--hostname', owner,
			'-v', '/var/run/docker.sock:/var/run/docker.sock',
			'-v', `${repository}:/baleen:ro`,
			'-v', `${realpathSync(path.join(repository, 'node_modules'))}:/baleen/node_modules:ro`,
			...mounts.flatMap(mount => ['-v', mount]),
			'-w', workdir, 'baleen-test-node', 'sh', '-c', script,
		);
	} finally {
		const outer = docker('ps', '-aq', '--filter', `label=${label}`).stdout.split('\n').filter(Boolean);
		if (outer.length > 0) {
			docker('rm', '-f', ...outer);
		}
	}
}

const baleenIn = `exec node /baleen/dist/cli.js '*.sh' --image ${shellImage} -m .:/work -w /work --command 'sh {file}' --json`;

/** The containers created since `since` (ms) by baleen in the CI container of that host name. */
function createdBy(owner: string, since: number): string[] {
	const until = Math.ceil(Date.now() / 1000);
	return docker(
		'events', '--since', String(Math.floor(since / 1000) - 1), '--until', String(until),
		'--filter', 'type=container', '--filter', 'event=create', '--filter', `label=baleen.owner=${owner}:1`, '--format', '{{.ID}}',
	).stdout.split('\n').filter(Boolean);
}

test('in a CI job\'s container with the socket, a suite mounted at another path than on the host: each file binds the host\'s folder and passes', async () => {
	const suite = folder({'a.sh': 'echo a > /work/a.ran\n', 'b.sh': 'echo b > /work/b.ran\n'});
	const owner = `ci-${randomUUID().slice(0, 8)}`;
	const since = Date.now();
	const {status, stdout, stderr} = inCiContainer(owner, [`${suite}:/ci/suite`], '/ci/suite', baleenIn);
	const events = parseLines(stdout);
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(status, 0, stderr);
	assert.deepEqual(testEnds(events).map(({file, status}) => ({file, status})).toSorted((a, b) => a.file.localeCompare(b.file)), [
		{file: 'a.sh', status: 'passed'},
		{file: 'b.sh', status: 'passed'},
	]);
	// What each file wrote in /work is in the host's folder: the engine bound the host's path, not /ci/suite.
	assert.equal(readFileSync(path.join(suite, 'a.ran'), 'utf8'), 'a\n');
	assert.equal(readFileSync(path.join(suite, 'b.ran'), 'utf8'), 'b\n');
	assert.ok(createdBy(owner, since).length >= 2, 'the containers of the files are told by their owner label');
});

test('in a CI job\'s container, a suite in the container\'s own filesystem: exit 2 with one line that says what to mount, and no container made', async () => {
	const owner = `ci-${randomUUID().slice(0, 8)}`;
	const since = Date.now();
	const {status, stdout, stderr} = inCiContainer(owner, [], '/', `mkdir -p /own/suite && cd /own/suite && echo 'echo x' > a.sh && ${baleenIn}`);
	assert.equal(status, 2, stderr);
	assert.equal(stdout, '');
	assert.equal(stderr, 'baleen: cannot bind /own/suite: it is in the filesystem of the container baleen runs in, which the engine at unix:///var/run/docker.sock cannot see; mount it into this container from the host (docker run -v HOST_FOLDER:/own/suite, or the project at the same path on both sides)\n');
	assert.deepEqual(createdBy(owner, since), []);
});
