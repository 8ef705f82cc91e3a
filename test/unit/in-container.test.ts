import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {lastValueFrom, toArray} from 'rxjs';
import {dockerBackend} from '../../source/backends/docker/backend.js';
import {engineBinds} from '../../source/backends/docker/engine-binds.js';
import type {ContainerSpec} from '../../source/backends/docker/engine.js';
import {hostBinds, hostPath, type Mount} from '../../source/backends/docker/host-paths.js';
import {ownContainerIds, type Surroundings} from '../../source/backends/docker/own-container.js';
import {BaleenError} from '../../source/errors.js';
import {run} from '../../source/run/run.js';
import {FakeEngine} from '../helpers/fake-engine.js';
import {folder} from '../helpers/folder.js';

const id = 'd12ff5fb9629bd756b69b001cfb45736f9dab62246651e77b1917149b9951809';
const mounts: Mount[] = [
	{source: '/srv/ci', destination: '/ci'},
	{source: '/srv/ci-suite', destination: '/ci/suite'},
	{source: '/var/run/docker.sock', destination: '/var/run/docker.sock'},
	{source: '', destination: '/tmp'},
];

describe('hostPath: a path of the container as the engine\'s host has it', () => {
	test('through the mount with the longest destination that holds it', () => {
		assert.equal(hostPath('/ci/suite/a.sh', mounts), '/srv/ci-suite/a.sh');
		assert.equal(hostPath('/ci/other/a.sh', mounts), '/srv/ci/other/a.sh');
	});

	test('a mount\'s destination itself, with or without a trailing slash', () => {
		assert.equal(hostPath('/ci/suite', mounts), '/srv/ci-suite');
		assert.equal(hostPath('/ci/suite/', mounts), '/srv/ci-suite');
		assert.equal(hostPath('/var/run/docker.sock', mounts), '/var/run/docker.sock');
	});

	test('a name that only starts like a destination is not in it', () => {
		assert.equal(hostPath('/ci-local/a.sh', mounts), undefined);
	});

	test('dots and a relative path are taken from the root first', () => {
		assert.equal(hostPath('/ci/x/../suite/./a.sh', mounts), '/srv/ci-suite/a.sh');
		assert.equal(hostPath('ci/suite', mounts), '/srv/ci-suite');
	});

	test('a path in no mount, or in one with no source on the host (tmpfs), has none', () => {
		assert.equal(hostPath('/home/node/suite', mounts), undefined);
		assert.equal(hostPath('/tmp/suite', mounts), undefined);
	});
});

describe('hostBinds', () => {
	test('each source through its symlinks, then the mounts; target and mode kept', () => {
		const real = (file: string) => file.replace(/^\/work/, '/ci/suite');
		assert.deepEqual(hostBinds(['/work/sub:/work:ro', '/ci:/data'], mounts, real), {binds: ['/srv/ci-suite/sub:/work:ro', '/srv/ci:/data']});
	});

	test('the first source the engine cannot see', () => {
		assert.deepEqual(hostBinds(['/ci:/a', '/home/node:/b', '/opt:/c'], mounts, file => file), {unseen: '/home/node'});
	});
});

/** Surroundings from a few files; `read` notes what it was asked. */
function surroundings(files: Record<string, string>, hostname = 'runner-1'): Surroundings & {reads: string[]} {
	const reads: string[] = [];
	return {
		reads,
		exists: file => file in files,
		read(file) {
			reads.push(file);
			return files[file] ?? '';
		},
		hostname,
	};
}

describe('ownContainerIds', () => {
	test('outside a container: none, and no file read', () => {
		const outside = surroundings({}, id.slice(0, 12));
		assert.deepEqual(ownContainerIds(outside), []);
		assert.deepEqual(outside.reads, []);
	});

	test('from the files Docker mounts in, the cgroup, and a host name that looks like an id, once each', () => {
		const other = 'a'.repeat(64);
		const inside = surroundings({
			'/.dockerenv': '',
			'/proc/self/mountinfo': `122 58 254:0 /var/lib/docker/containers/${id}/resolv.conf /etc/resolv.conf rw - ext4 /dev/vda rw\n123 58 254:0 /var/lib/docker/containers/${id}/hostname /etc/hostname rw - ext4 /dev/vda rw\n`,
			'/proc/self/cgroup': `9:name=systemd:/docker/${id}\n1:cpu:/system.slice/docker-${other}.scope\n`,
		}, id.slice(0, 12));
		assert.deepEqual(ownContainerIds(inside), [id, other, id.slice(0, 12)]);
	});

	test('Podman\'s marker and its storage paths', () => {
		const podman = surroundings({'/run/.containerenv': '', '/proc/self/mountinfo': `1 2 0:1 /containers/storage/overlay-containers/${id}/userdata/hostname /etc/hostname rw\n`}, 'my-box');
		assert.deepEqual(ownContainerIds(podman), [id]);
	});

	test('not the ids of the containers an engine in the same mount namespace runs, whose mounts show there too', () => {
		const beside = surroundings({'/.dockerenv': '', '/proc/self/mountinfo': `90 28 0:51 / /var/lib/docker/containers/${id}/mounts/shm rw - tmpfs shm rw\n91 28 0:52 /var/lib/docker/containers/${id}/hostname /var/lib/docker/overlay2/x/merged/etc/hostname rw\n`}, 'vm');
		assert.deepEqual(ownContainerIds(beside), []);
	});

	test('in a container that tells no id (a given host name, cgroup v2): none', () => {
		assert.deepEqual(ownContainerIds(surroundings({'/.dockerenv': '', '/proc/self/cgroup': '0::/\n'}, 'vm')), []);
	});
});

describe('engineBinds', () => {
	const inside = () => surroundings({'/.dockerenv': '', '/proc/self/mountinfo': `123 58 254:0 /var/lib/docker/containers/${id}/hostname /etc/hostname rw\n`});

	test('outside a container, or with no binds: the binds as they are, and the engine not asked', async () => {
		const engine = new FakeEngine();
		engine.outer.set(id, mounts);
		const outside = await engineBinds(engine, ['/home/me/suite:/work'], surroundings({}));
		assert.deepEqual(outside.translate(['/home/me/suite:/work']), ['/home/me/suite:/work']);
		const none = await engineBinds(engine, [], inside());
		assert.deepEqual(none.translate([]), []);
		assert.deepEqual(engine.calls, []);
	});

	test('in a container of the engine: each source as its host has it', async () => {
		const engine = new FakeEngine();
		engine.outer.set(id, mounts);
		const binds = await engineBinds(engine, ['/ci/suite:/work'], inside());
		assert.equal(binds.note, undefined);
		assert.deepEqual(binds.translate(['/ci/suite:/work']), ['/srv/ci-suite:/work']);
		assert.deepEqual(engine.calls, [`mounts ${id}`]);
	});

	test('a source in the container\'s own filesystem: one line that says what to mount', async () => {
		const engine = new FakeEngine();
		engine.outer.set(id, mounts);
		await assert.rejects(engineBinds(engine, ['/home/node/suite:/work'], inside()), (error: Error) => {
			assert.ok(error instanceof BaleenError);
			assert.equal(error.message, `cannot bind /home/node/suite: it is in the filesystem of the container baleen runs in, which the engine at fake://engine cannot see; mount it into this container from the host (docker run -v HOST_FOLDER:/home/node/suite, or the project at the same path on both sides)`);
			return true;
		});
	});

	test('in a container another engine runs, or of an engine that refuses to tell: the binds as they are, with a note', async () => {
		const binds = await engineBinds(new FakeEngine(), ['/ci/suite:/work'], inside());
		assert.deepEqual(binds.translate(['/ci/suite:/work']), ['/ci/suite:/work']);
		const refusing = new FakeEngine();
		refusing.mounts = async () => {
			throw Object.assign(new Error('HTTP 403'), {statusCode: 403});
		};

		assert.equal((await engineBinds(refusing, ['/ci/suite:/work'], inside())).note, binds.note);
		assert.match(binds.note ?? '', /^baleen runs in a container the engine at fake:\/\/engine does not know: .* must have \/ci\/suite$/);
	});
});

test('a run in a container of its engine: every container made binds the host\'s path, and a wrong one fails before any', async () => {
	const cwd = folder({'a.sh': '', 'b.sh': ''});
	const engine = new FakeEngine();
	engine.outer.set(id, [{source: '/srv/suite', destination: cwd}]);
	const created: ContainerSpec[] = [];
	const create = engine.create.bind(engine);
	engine.create = async spec => {
		created.push(spec);
		return create(spec);
	};

	const backend = dockerBackend(engine, surroundings({'/.dockerenv': '', '/proc/self/mountinfo': `123 58 254:0 /var/lib/docker/containers/${id}/hostname /etc/hostname rw\n`}));
	const options = {patterns: ['*.sh'], image: 'shell', command: 'sh {file}', cwd, runId: 'unit', concurrency: 1};
	const events = await lastValueFrom(run({...options, mounts: ['.:/work']}, {backend}).pipe(toArray()));
	assert.deepEqual(events.filter(event => event.type === 'test-end').map(event => event.type === 'test-end' && event.status), ['passed', 'passed']);
	const files = created.filter(spec => spec.labels['baleen.file'] !== undefined);
	assert.equal(files.length, 2);
	assert.deepEqual(files.map(spec => spec.binds), [['/srv/suite:/work'], ['/srv/suite:/work']]);

	created.length = 0;
	await assert.rejects(lastValueFrom(run({...options, mounts: ['/etc:/etc-of-baleen']}, {backend})), /^BaleenError: cannot bind \/etc: /);
	assert.deepEqual(created, []);
});
