import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {baleen, byFile, runEnd, runStart, shellArgs, shellImage, start, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';

// A socket and an image tag of this process's own: another run of the suite on this machine shares Podman's storage.
const socketPath = `/tmp/baleen-podman-${process.pid}.sock`;
const host = `unix://${socketPath}`;
const image = `baleen-test-shell-${process.pid}`;
/** The shell suite's arguments with this test's own tag of the image. */
const podmanArgs = (directory: string) => shellArgs(directory).map(arg => (arg === shellImage ? image : arg));
const podman = (...args: string[]) => execFileSync('podman', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
const hasPodman = spawnSync('podman', ['--version'], {stdio: 'ignore'}).status === 0;
/** Podman's default ulimits exceed what these machines' kernels allow; script/setup writes this. */
const ulimitsSet = existsSync('/etc/containers/containers.conf') && /default_ulimits/.test(readFileSync('/etc/containers/containers.conf', 'utf8'));

/** Podman's Docker-compatible API, started here and ended by its pid: the docker backend as is, on another engine. */
describe('on Podman', {skip: hasPodman && ulimitsSet ? false : 'podman or its default_ulimits in /etc/containers/containers.conf is missing (script/setup installs both)'}, () => {
	let service: ChildProcess | undefined;
	const env = {DOCKER_HOST: host};
	const leftOn = (runId: string) => podman('ps', '-aq', '--filter', `label=baleen.run=${runId}`).split('\n').filter(Boolean);

	before(async () => {
		rmSync(socketPath, {force: true});
		service = spawn('podman', ['system', 'service', '--time=0', host], {stdio: 'ignore'});
		await until(() => spawnSync('docker', ['-H', host, 'version'], {stdio: 'ignore', timeout: 5000}).status === 0, 'podman to answer', 30_000);
		// Loaded under a tag of its own, which is all the test removes: the image stays while another run's tag names it.
		execFileSync('docker', ['tag', shellImage, image]);
		try {
			execFileSync('sh', ['-c', `docker save ${image} | podman load`], {stdio: 'ignore'});
		} finally {
			execFileSync('docker', ['rmi', image], {stdio: 'ignore'});
		}
	});

	after(async () => {
		if (service?.pid && service.exitCode === null) {
			const ended = new Promise(resolve => service!.once('exit', resolve));
			process.kill(service.pid, 'SIGTERM');
			await ended;
		}

		rmSync(socketPath, {force: true});
		spawnSync('podman', ['rmi', image], {stdio: 'ignore'});
	});

	test('a small suite passes, fails and times out as on Docker, and leaves nothing', async () => {
		const directory = folder({
			'pass.sh': 'echo to-stdout; echo to-stderr >&2\n',
			'fail.sh': 'echo failing; exit 3\n',
			'slow.sh': 'echo sleeping; sleep 300\n',
		});
		const {code, events} = await baleen([...podmanArgs(directory), '--timeout', '3'], {cwd: directory, env});
		const {runId, engine} = runStart(events);
		assert.equal(engine, host);
		assert.deepEqual(
			[...byFile(events).values()].map(({file, status, stdout, stderr}) => ({file, status, stdout, stderr})).sort((a, b) => a.file.localeCompare(b.file)),
			[
				{file: 'fail.sh', status: 'failed', stdout: 'failing\n', stderr: ''},
				{file: 'pass.sh', status: 'passed', stdout: 'to-stdout\n', stderr: 'to-stderr\n'},
				{file: 'slow.sh', status: 'timed-out', stdout: 'sleeping\n', stderr: ''},
			],
		);
		assert.equal(byFile(events).get('fail.sh')?.exitCode, 3);
		assert.equal(code, 1);
		assert.deepEqual(leftOn(runId), []);
		// Measured from inside the container, as on Docker; a file whose time was up wrote no figures.
		const measured = byFile(events).get('pass.sh')?.resources;
		assert.ok(measured && measured.memoryPeakBytes! > 0 && measured.cpuMs! >= 0, JSON.stringify(measured));
		assert.equal(byFile(events).get('slow.sh')?.resources, undefined);
	});

	/*
	With stdin attached, conmon could close the attach socket with bytes of it unread: the file's output was
	lost to a reset and Podman wrote its own `Error: read unixpacket …: connection reset by peer` in its
	place. Only a container that ends before conmon reads does it (5 files in 500 at -j 4 on a loaded
	machine), hence so many files that end at once.
	*/
	test('every file\'s output arrives whole, with none of Podman\'s own words in it', async () => {
		const names = Array.from({length: 100}, (_, index) => `f${String(index).padStart(3, '0')}`);
		const directory = folder(Object.fromEntries(names.map(name => [`${name}.sh`, `echo out-${name}; echo err-${name} >&2\n`])));
		const {code, events} = await baleen([...podmanArgs(directory), '-j', '4'], {cwd: directory, env});
		const ends = [...byFile(events).values()];
		assert.equal(ends.length, names.length);
		const wrong = ends.filter(({file, stdout, stderr}) => {
			const name = file.replace(/\.sh$/, '');
			return stdout !== `out-${name}\n` || stderr !== `err-${name}\n`;
		}).map(({file, stdout, stderr}) => ({file, stdout, stderr}));
		assert.deepEqual(wrong, []);
		assert.equal(code, 0);
		assert.deepEqual(leftOn(runStart(events).runId), []);
	});

	test('Ctrl-C cancels the running files and leaves nothing; baleen clean works there', async () => {
		const directory = folder({'a.sh': 'sleep 300\n', 'b.sh': 'sleep 300\n', 'c.sh': 'sleep 300\n'});
		const running = start([...podmanArgs(directory), '-j', '2'], {cwd: directory, env});
		const {runId} = runStart(await running.until(events => events.filter(event => event.type === 'test-start').length >= 2));
		running.child.kill('SIGINT');
		const {code, events} = await running.done;
		assert.equal(code, 130);
		assert.ok(testEnds(events).every(end => end.status === 'cancelled'));
		assert.equal(runEnd(events)?.summary.cancelled, 3);
		assert.deepEqual(leftOn(runId), []);
		const clean = await baleen(['clean', '--dry-run'], {env});
		assert.equal(clean.code, 0, clean.stderr);
		assert.match(clean.stdout, new RegExp(`^nothing left by earlier runs on ${host}$`, 'm'));
	});
});
