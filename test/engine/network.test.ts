import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {mkdtempSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {buildImage} from '../../source/backends/docker/build.js';
import {dockerEngine} from '../../source/backends/docker/dockerode.js';
import {baleen, inSuite, leftovers, runEnd, runStart, shellArgs, shellImage, start, testEnds} from '../helpers/cli.js';
import {removeImage, testTag} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';

const docker = (...args: string[]) => execFileSync('docker', args, {encoding: 'utf8'}).trim();
const statuses = (events: Parameters<typeof testEnds>[0]) => Object.fromEntries(testEnds(events).map(end => [end.file, `${end.status} ${end.stdout.trim()}${end.stderr.trim()}`]));

test('two files binding the same port at the same time both pass: running files never share a namespace', async () => {
	const marks = mkdtempSync(path.join(tmpdir(), 'baleen-marks-'));
	// Each listens on 8080, then waits until the other listens too, then checks its own listener still runs.
	const listen = 'nc -l -p 8080 & pid=$!; sleep 0.3; touch "/marks/$BALEEN_FILE"\n'
		+ 'for i in $(seq 1 100); do [ "$(ls /marks | wc -l)" -ge 2 ] && break; sleep 0.1; done\n'
		+ 'kill -0 "$pid" || { echo "port 8080 was taken" >&2; exit 1; }; kill "$pid"; echo listened\n';
	const {code, events} = await inSuite(folder({'a.sh': listen, 'b.sh': listen}), '-j', '2', '-m', `${marks}:/marks`);
	assert.deepEqual(statuses(events), {'a.sh': 'passed listened', 'b.sh': 'passed listened'});
	assert.equal(code, 0);
	assert.deepEqual(leftovers(runStart(events)?.runId), []);
});

test('the files of one slot share its holder\'s namespace (same hostname); --fresh-network gives each its own', async () => {
	const directory = folder({'a.sh': 'hostname\n', 'b.sh': 'hostname\n', 'c.sh': 'hostname\n'});
	const hostnames = async (...extra: string[]) => {
		const {code, events} = await inSuite(directory, '-j', '1', ...extra);
		assert.equal(code, 0);
		assert.deepEqual(leftovers(runStart(events)?.runId), []);
		return new Set(testEnds(events).map(end => end.stdout));
	};

	assert.equal((await hostnames()).size, 1, 'one slot, one namespace');
	assert.equal((await hostnames('--fresh-network')).size, 3, 'a namespace per file');
});

test('--network none: nothing but the loopback interface', async () => {
	const {code, events} = await inSuite(folder({'a.sh': 'ls /sys/class/net\n'}), '--network', 'none');
	assert.deepEqual(statuses(events), {'a.sh': 'passed lo'});
	assert.equal(code, 0);
});

describe('a user-defined network', () => {
	const name = `baleen-test-net-${randomUUID().slice(0, 8)}`;
	const service = `${name}-svc`;
	before(() => {
		docker('network', 'create', '--label', 'baleen.test=network', name);
		docker('run', '-d', '--name', service, '--network', name, '--network-alias', 'svc', '--label', 'baleen.test=network', shellImage,
			'sh', '-c', 'mkdir /www && echo hello from svc > /www/index.html && exec httpd -f -p 80 -h /www');
	});
	after(() => {
		spawnSync('docker', ['rm', '-f', service], {stdio: 'ignore'});
		spawnSync('docker', ['network', 'rm', name], {stdio: 'ignore'});
	});

	test('a file reaches a service on it by name, through its slot\'s holder', async () => {
		const fetch = 'for i in $(seq 1 50); do wget -qO- http://svc/index.html && exit 0; sleep 0.1; done; exit 1\n';
		const {code, events} = await inSuite(folder({'a.sh': fetch, 'b.sh': fetch, 'c.sh': fetch}), '-j', '2', '--network', name);
		assert.deepEqual(statuses(events), {'a.sh': 'passed hello from svc', 'b.sh': 'passed hello from svc', 'c.sh': 'passed hello from svc'});
		assert.equal(code, 0);
		assert.deepEqual(leftovers(runStart(events)?.runId), []);
	});
});

test('a network that does not exist: one line naming it, exit 2, nothing left', async () => {
	const directory = folder({'a.sh': ''});
	const running = start([...shellArgs(directory), '--network', 'baleen-no-such-network'], {cwd: directory});
	const {code, stderr} = await running.done;
	assert.equal(code, 2);
	assert.match(stderr, /^baleen: cannot keep a network namespace on the network "baleen-no-such-network" on the Docker engine at .+: .*baleen-no-such-network.*not found/m);
	assert.equal(docker('ps', '-aq', '--filter', `label=baleen.owner=${hostname()}:${running.child.pid}`), '', 'no holder is left');
});

test('an engine error on every file (start fails): each ends as error, holders and containers are all removed', async () => {
	// The workdir is a file: every container fails to start.
	const directory = folder({'a.sh': 'true\n', 'b.sh': 'true\n'});
	const {code, events} = await baleen(['*.sh', '-i', shellImage, '-m', `${directory}:/suite`, '-w', '/suite/a.sh', '-c', 'sh {file}', '--json', '-j', '2'], {cwd: directory});
	assert.equal(code, 1);
	assert.ok(testEnds(events).every(end => end.status === 'error' && end.error), JSON.stringify(testEnds(events)));
	assert.deepEqual(runEnd(events)?.summary, {total: 2, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 2, cancelled: 0});
	assert.deepEqual(leftovers(runStart(events)?.runId), []);
});

describe('an image without sleep', () => {
	const image = testTag('no-sleep');
	before(async () => {
		await buildImage({directory: folder({Dockerfile: `FROM ${shellImage}\nRUN rm /bin/sleep\n`}), tag: image, labels: {'baleen.test': 'network'}}, dockerEngine(), () => undefined);
	});
	after(async () => {
		await removeImage(image);
	});

	test('falls back to a namespace per file and says why in one line', async () => {
		const directory = folder({'a.sh': 'echo ok\n', 'b.sh': 'echo ok\n'});
		const {code, events, stderr} = await baleen(['*.sh', '-i', image, '-m', `${directory}:/suite`, '-w', '/suite', '-c', 'sh {file}', '--json'], {cwd: directory});
		assert.equal(code, 0, stderr);
		assert.deepEqual(statuses(events), {'a.sh': 'passed ok', 'b.sh': 'passed ok'});
		const notes = stderr.split('\n').filter(line => line.includes('network namespace'));
		assert.equal(notes.length, 1, stderr);
		assert.match(notes[0]!, /^baleen: each file gets a network namespace of its own: the image cannot keep one for a slot \(.*sleep.*\)$/);
		assert.deepEqual(runStart(events)?.notes, [notes[0]!.slice('baleen: '.length)]);
		assert.deepEqual(leftovers(runStart(events)?.runId), []);
	});
});
