import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {hostname} from 'node:os';
import {after, before, describe, test} from 'node:test';
import {spawnSync} from 'node:child_process';
import Docker from 'dockerode';
import {lastValueFrom, toArray} from 'rxjs';
import {serviceSpec} from '../../source/backends/swarm/spec.js';
import {swarmManager} from '../../source/backends/swarm/manager.js';
import type {RunEvent} from '../../source/events.js';
import {run} from '../../source/run/run.js';
import {baleen, byFile, runEnd, runStart, shellArgs, shellImage, start, testEnds} from '../helpers/cli.js';
import {startDockerd, type Dockerd} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';

/** A single-node swarm on a dockerd of its own: its state lives in that dockerd's data root, which remove() deletes. */
describe('--swarm on a single-node swarm', () => {
	let dockerd: Dockerd;
	const env = () => ({DOCKER_HOST: dockerd.host});
	/** What a run left on the swarm's engine: services, and containers of its tasks. */
	const leftOn = (runId: string) => [
		...dockerd.docker('service', 'ls', '-q', '--filter', `label=baleen.run=${runId}`).split('\n').filter(Boolean).map(id => `service ${id}`),
		...dockerd.containersOf(runId).map(id => `container ${id}`),
	];

	// Ports of this engine's own (from its unique subnet), so that another run of the suite on this machine can make its swarm too.
	const init = () => dockerd.docker('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${23_000 + dockerd.subnet}`, '--data-path-port', String(24_000 + dockerd.subnet));

	before(async () => {
		dockerd = await startDockerd('s1', 31);
		init();
		dockerd.load(shellImage);
	});

	after(async () => {
		await dockerd?.remove();
	});

	test('runs each file as a task: exit codes and output as containers give them, a timeout, nothing left', async () => {
		const directory = folder({
			'pass.sh': 'echo to-stdout; echo to-stderr >&2\n',
			'fail.sh': 'echo failing; exit 3\n',
			'slow.sh': 'echo sleeping; sleep 300\n',
		});
		const {code, events} = await baleen([...shellArgs(directory), '--swarm', '--timeout', '3'], {cwd: directory, env: env()});
		const {runId, engine, concurrency} = runStart(events);
		assert.equal(engine, `swarm ${dockerd.host}`);
		assert.ok(concurrency >= 1);
		const ends = byFile(events);
		assert.deepEqual(
			[...ends.values()].map(({file, status, exitCode, stdout, stderr}) => ({file, status, exitCode, stdout, stderr})).sort((a, b) => a.file.localeCompare(b.file)),
			[
				{file: 'fail.sh', status: 'failed', exitCode: 3, stdout: 'failing\n', stderr: ''},
				{file: 'pass.sh', status: 'passed', exitCode: 0, stdout: 'to-stdout\n', stderr: 'to-stderr\n'},
				{file: 'slow.sh', status: 'timed-out', exitCode: null, stdout: 'sleeping\n', stderr: ''},
			],
		);
		// Measured from inside the container, as on Docker; a file whose time was up wrote no figures.
		const measured = byFile(events).get('pass.sh')?.resources;
		assert.ok(measured && measured.memoryPeakBytes! > 0 && measured.cpuMs! >= 0, JSON.stringify(measured));
		assert.equal(byFile(events).get('slow.sh')?.resources, undefined);
		assert.equal(code, 1);
		assert.deepEqual(leftOn(runId), []);
	});

	test('Ctrl-C mid-run cancels the running tasks, removes their services and exits 130', async () => {
		const directory = folder(Object.fromEntries(Array.from({length: 4}, (_, index) => [`sleep-${index}.sh`, 'echo sleeping; : > "$0.awake"; sleep 300\n'])));
		const running = start([...shellArgs(directory), '--swarm', '-j', '2'], {cwd: directory, env: env()});
		const started = await running.until(events => events.filter(event => event.type === 'test-start').length >= 2);
		const {runId} = runStart(started);
		await until(() => readdirSync(directory).filter(name => name.endsWith('.awake')).length >= 2, 'both tasks to run their file', 60_000);
		assert.equal(leftOn(runId).filter(thing => thing.startsWith('service')).length, 2, 'a service a running file');
		running.child.kill('SIGINT');
		const {code, events} = await running.done;
		assert.equal(code, 130);
		const ends = testEnds(events);
		assert.equal(ends.length, 4);
		assert.ok(ends.every(end => end.status === 'cancelled'));
		assert.deepEqual(ends.filter(end => end.containerId).map(end => end.stdout), ['sleeping\n', 'sleeping\n'], 'output up to the cancel is kept');
		assert.equal(runEnd(events)?.exitCode, 130);
		assert.deepEqual(leftOn(runId), []);
	});

	test('a baleen killed with -9 leaves its services to the reaper', async () => {
		const directory = folder({'sleep.sh': 'sleep 300\n'});
		const running = start([...shellArgs(directory), '--swarm'], {cwd: directory, env: env()});
		const {runId} = runStart(await running.until(events => events.some(event => event.type === 'test-start')));
		running.child.kill('SIGKILL');
		await running.done;
		await until(() => leftOn(runId).length === 0, 'the reaper to remove the service and its container', 60_000, () => leftOn(runId).join('\n'));
	});

	test('--swarm --engine: the manager named on the command line, killed with -9 too; two managers are bad usage', async () => {
		const directory = folder({'ok.sh': 'echo fine\n', 'sleep.sh': 'sleep 300\n'});
		const running = start(['ok.sh', 'sleep.sh', ...shellArgs(directory).slice(1), '--swarm', '--engine', dockerd.host], {cwd: directory, env: {DOCKER_HOST: 'unix:///nonexistent/docker.sock'}});
		const events = await running.until(seen => seen.some(event => event.type === 'test-end' && event.file === 'ok.sh') && seen.some(event => event.type === 'test-start' && event.file === 'sleep.sh'));
		const {runId} = runStart(events);
		assert.equal(testEnds(events).find(end => end.file === 'ok.sh')?.stdout, 'fine\n');
		running.child.kill('SIGKILL');
		await running.done;
		// The reaper sweeps the manager the run named, not DOCKER_HOST's engine.
		await until(() => leftOn(runId).length === 0, 'the reaper to remove the service on the named manager', 60_000, () => leftOn(runId).join('\n'));
		const two = await baleen([...shellArgs(directory), '--swarm', '--engine', dockerd.host, '--engine', 'unix:///other.sock']);
		assert.equal(two.code, 2);
		assert.match(two.stderr, /^baleen: --swarm takes one engine, the Swarm's manager, not 2/m);
	});

	test('baleen clean lists and removes a service an earlier run left', async () => {
		const owner = `${hostname()}:${spawnSync('true').pid}`;
		const id = dockerd.docker(
			'service', 'create', '--detach', '--mode', 'replicated-job', '--restart-condition', 'none', '--label', 'baleen.run=old-swarm-run',
			'--label', `baleen.owner=${owner}`, '--label', 'baleen.file=old.sh', '--container-label', 'baleen.run=old-swarm-run', shellImage, 'true',
		).trim();
		const dry = await baleen(['clean', '--dry-run'], {env: env()});
		assert.match(dry.stdout, new RegExp(`^would remove service ${id.slice(0, 12)} \\S+ \\(run old-swarm-run, old\\.sh\\): its baleen \\(pid \\d+\\) is gone$`, 'm'));
		const real = await baleen(['clean'], {env: env()});
		assert.equal(real.code, 0);
		assert.match(real.stdout, /^removed 1 service/m);
		assert.deepEqual(leftOn('old-swarm-run').filter(thing => thing.startsWith('service')), []);
	});

	test('Swarm never runs a failed task of baleen\'s one-completion job again, as it does for a job of several completions', async () => {
		const manager = swarmManager(new Docker({socketPath: dockerd.socketPath}), dockerd.host);
		const labels = {'baleen.run': 'rerun-check'};
		const ours = await manager.create(serviceSpec('rerun-one', {image: shellImage, cmd: ['sh', '-c', 'exit 1'], env: [], binds: [], labels}));
		const several = dockerd.docker(
			'service', 'create', '--detach', '--mode', 'replicated-job', '--replicas', '2', '--max-concurrent', '2',
			'--restart-condition', 'none', '--label', 'baleen.run=rerun-check', shellImage, 'sh', '-c', 'exit 1',
		).trim();
		const tasks = (service: string) => dockerd.docker('service', 'ps', '-q', service).split('\n').filter(Boolean).length;
		try {
			await until(() => tasks(several) > 4, 'the job of two completions to start failed tasks again', 60_000);
			assert.equal(tasks(ours), 1);
			assert.equal((await manager.tasks('baleen.run=rerun-check')).get(ours)?.state, 'failed');
		} finally {
			await manager.removeLabelled(labels);
		}
	});

	test('what Swarm cannot do is refused in one line naming both, before anything runs: --swarm --results, --backend swarm --artifacts', async () => {
		const directory = folder({'a.sh': 'true\n'});
		const results = await baleen([...shellArgs(directory), '--swarm', '--results', 'r.xml'], {cwd: directory, env: env()});
		assert.equal(results.code, 2);
		assert.equal(results.stderr.trim(), 'baleen: --results: the swarm backend cannot copy files out of a job; leave --results out, or run with --backend docker');
		assert.deepEqual(results.events, []);
		const artifacts = await baleen([...shellArgs(directory), '--backend', 'swarm', '--artifacts', 'coverage', '--output-dir', 'out'], {cwd: directory, env: env()});
		assert.equal(artifacts.code, 2);
		assert.equal(artifacts.stderr.trim(), 'baleen: --artifacts: the swarm backend cannot copy files out of a job; leave --artifacts out, or run with --backend docker');
		// A task's container cannot be committed; the config key asks as the flag does.
		const keepFailed = 'baleen: --keep-failed: the swarm backend cannot keep a failed file\'s container as an image; leave --keep-failed out, or run with --backend docker';
		for (const [args, files] of [[['--keep-failed'], {}], [[], {'baleen.yml': 'keep-failed: true\n'}]] as const) {
			const suite = folder({'a.sh': 'true\n', ...files});
			const kept = await baleen([...shellArgs(suite), '--swarm', ...args], {cwd: suite, env: env()});
			assert.deepEqual([kept.code, kept.stderr.trim(), kept.events], [2, keepFailed, []]);
		}
	});

	test('the programmatic run({swarm: true}) runs each file as a task on the manager it names, and leaves nothing', async () => {
		const directory = folder({'ok.sh': 'echo fine\n'});
		const events = await lastValueFrom(run({
			patterns: ['*.sh'], image: shellImage, command: 'sh {file}', mounts: [`${directory}:/suite`], workdir: '/suite', cwd: directory, swarm: true, engines: [{host: dockerd.host}],
		}).pipe(toArray()));
		const {runId, engine} = runStart(events);
		assert.equal(engine, `swarm ${dockerd.host}`);
		assert.deepEqual(testEnds(events).map(({file, status, stdout}) => ({file, status, stdout})), [{file: 'ok.sh', status: 'passed', stdout: 'fine\n'}]);
		assert.deepEqual(leftOn(runId), []);
	});

	test('an engine that is no Swarm manager is a usage error, named', async () => {
		const directory = folder({'a.sh': 'true\n'});
		dockerd.docker('swarm', 'leave', '--force');
		try {
			const {code, stderr, events} = await baleen([...shellArgs(directory), '--swarm'], {cwd: directory, env: env()});
			assert.equal(code, 2);
			assert.equal(stderr.trim(), `baleen: --swarm: the Docker engine at ${dockerd.host} cannot place tasks: it is not in a swarm (inactive); docker swarm init makes it a single-node one`);
			assert.deepEqual(events.filter((event: RunEvent) => event.type === 'test-start'), []);
		} finally {
			init();
		}
	});
});
