import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {lastValueFrom, toArray} from 'rxjs';
import type {BackendModule} from '../../source/backends/module.js';
import {backendFor, backends, refusal} from '../../source/backends/registry.js';
import {BaleenError} from '../../source/errors.js';
import type {RunEvent, RunStart, TestEnd} from '../../source/events.js';
import {resolveRunOptions} from '../../source/options/resolve.js';
import type {RunOptions} from '../../source/options/types.js';
import {reap} from '../../source/reaper/reap.js';
import {run} from '../../source/run/run.js';
import {folder} from '../helpers/folder.js';
import {hostBackend} from '../helpers/host-backend.js';

const suite = folder({'ok.sh': 'echo fine\n', 'fail.sh': 'echo failing >&2; exit 3\n'});
const state = path.join(folder(), 'kept');
/** A backend of the tests' own, registered beside baleen's with this one line: no source file knows it. */
const registry = {...backends, host: hostBackend(state, suite)};

const options = (extra: Partial<RunOptions> = {}): RunOptions => ({patterns: ['*.sh'], image: 'none', command: 'sh {file}', cwd: suite, runId: 'unit-backends', ...extra});
const resolved = (extra: Partial<RunOptions> = {}) => resolveRunOptions(options(extra));
/** What a run's error says, or that it ran. */
const failure = async (events$: ReturnType<typeof run>) => lastValueFrom(events$.pipe(toArray())).then(() => 'ran', (error: Error & {exitCode?: number}) => `${error.exitCode}: ${error.message}`);

describe('the registry', () => {
	test('picks the backend a run names; --swarm is --backend swarm, and the two must agree', () => {
		assert.equal(resolved().backend, 'docker');
		assert.equal(resolved({swarm: true}).backend, 'swarm');
		assert.equal(resolved({backend: 'swarm'}).backend, 'swarm');
		assert.equal(resolved({backend: 'swarm', swarm: true}).backend, 'swarm');
		assert.throws(() => resolved({backend: 'docker', swarm: true}), {message: '--swarm and --backend docker name two backends; give one'});
		assert.throws(() => backendFor(resolved({backend: 'kubernetes'})), {name: 'BaleenError', message: '--backend takes docker or swarm, not "kubernetes"'});
	});

	test('refuses, in one line naming both, what a backend cannot do, and the backends that can', () => {
		assert.equal(refusal(resolved({swarm: true, results: 'out/junit.xml'})), '--results: the swarm backend cannot copy files out of a job; leave --results out, or run with --backend docker');
		assert.equal(
			refusal(resolved({backend: 'swarm', results: 'r.xml', artifacts: ['coverage'], outputDir: 'out'})),
			'--results and --artifacts: the swarm backend cannot copy files out of a job; leave --results and --artifacts out, or run with --backend docker',
		);
		assert.equal(refusal(resolved({backend: 'host', memory: '64m', cpus: 1}), registry), '--memory and --cpus: the host backend cannot hold a job to limits; leave --memory and --cpus out, or run with --backend docker or --backend swarm');
		assert.equal(refusal(resolved({results: 'r.xml', artifacts: ['a'], outputDir: 'out', memory: '64m', build: '.'})), undefined);
		assert.equal(refusal(resolved({swarm: true, memory: '64m', build: '.'})), undefined);
	});

	test('each backend makes what its capabilities say: a job made ahead only where the module says so', () => {
		const where = {environment: {DOCKER_HOST: 'unix:///nonexistent/docker.sock'}};
		for (const [name, module] of Object.entries(registry)) {
			assert.equal(typeof module.backend(where).ahead === 'function', module.capabilities.createAhead, name);
		}
	});

	test('the programmatic run picks its backend from the registry: run({swarm: true}) is a Swarm run, refused what Swarm cannot do', async () => {
		assert.equal(await failure(run(options({swarm: true, results: 'r.xml'}))), '2: --results: the swarm backend cannot copy files out of a job; leave --results out, or run with --backend docker');
		assert.match(await failure(run(options({swarm: true, engines: [{host: 'unix:///a.sock'}, {host: 'unix:///b.sock'}]}))), /^2: --swarm takes one engine, the Swarm's manager, not 2 \(unix:\/\/\/a\.sock, unix:\/\/\/b\.sock\)/);
	});
});

describe('a backend registered by a test', () => {
	test('runs the files, each through its own backend, and leaves nothing behind', async () => {
		const events: RunEvent[] = await lastValueFrom(run(options({backend: 'host'}), {backends: registry}).pipe(toArray()));
		assert.equal((events[0] as RunStart).engine, `host ${state}`);
		const ends = events.filter((event): event is TestEnd => event.type === 'test-end').map(({file, status, exitCode, stdout, stderr}) => ({file, status, exitCode, stdout, stderr}));
		assert.deepEqual(ends.sort((a, b) => a.file.localeCompare(b.file)), [
			{file: 'fail.sh', status: 'failed', exitCode: 3, stdout: '', stderr: 'failing\n'},
			{file: 'ok.sh', status: 'passed', exitCode: 0, stdout: 'fine\n', stderr: ''},
		]);
		assert.deepEqual(readdirSync(state), []);
	});

	test('is refused what its capabilities lack, before any file runs', async () => {
		assert.equal(await failure(run(options({backend: 'host', results: 'r.xml'}), {backends: registry})), '2: --results: the host backend cannot copy files out of a job; leave --results out, or run with --backend docker');
		assert.equal(await failure(run(options({backend: 'host', build: '.'}), {backends: registry})), '2: --build: the host backend cannot build an image; leave --build out, or run with --backend docker or --backend swarm');
		assert.equal(await failure(run(options({backend: 'host'}))), '2: --backend takes docker or swarm, not "host"', 'unknown to baleen\'s own registry');
	});
});

describe('the reaper', () => {
	const where = {environment: process.env};
	/** The tests' backend, its sweep failing as an engine that does not answer fails, `failures` times. */
	const sweeping = (failures: number): BackendModule & {looks: number} => {
		const module = {...registry.host, looks: 0};
		const backend = registry.host.backend(where);
		module.backend = () => ({...backend, async sweep() {
			module.looks++;
			if (module.looks <= failures) {
				throw new Error('connect ECONNREFUSED /var/run/docker.sock');
			}

			return 2;
		}});
		return module;
	};

	test('looks again while the engine does not answer, until the sweep is done', async () => {
		const late = sweeping(2);
		assert.equal(await lastValueFrom(reap({runId: 'r', backend: 'late'}, {backends: {late}}, {lookEveryMs: 1})), 2);
		assert.equal(late.looks, 3);
	});

	test('gives up at once on an engine that cannot be named, and after a while on one that never answers', async () => {
		const unnamed: BackendModule = {...registry.host, backend() {
			throw new BaleenError('--engine nowhere: there is no Docker context "nowhere"');
		}};
		await assert.rejects(lastValueFrom(reap({runId: 'r', backend: 'unnamed'}, {backends: {unnamed}})), {name: 'BaleenError'});
		const never = sweeping(Number.POSITIVE_INFINITY);
		await assert.rejects(lastValueFrom(reap({runId: 'r', backend: 'never'}, {backends: {never}}, {lookEveryMs: 1, giveUpMs: 30})), {name: 'TimeoutError'});
		assert.ok(never.looks > 1, 'it kept looking until it gave up');
	});
});
