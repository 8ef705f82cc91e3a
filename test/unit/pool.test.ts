import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {createHash} from 'node:crypto';
import path from 'node:path';
import {test} from 'node:test';
import {NEVER, Subject, firstValueFrom, from, lastValueFrom, timeout, toArray, type Observable} from 'rxjs';
import type {Backend, Job, JobEvent, PrepareRequest} from '../../source/backends/backend.js';
import {dockerBackend} from '../../source/backends/docker/backend.js';
import {parseEngine, parseEngines} from '../../source/backends/pool/choice.js';
import {contextEndpoint, currentContext, hostEndpoint} from '../../source/backends/pool/contexts.js';
import {poolBackend, type Member, type PoolTiming} from '../../source/backends/pool/pool.js';
import {health} from '../../source/backends/pool/health.js';
import {pick} from '../../source/backends/pool/leases.js';
import {sshArguments} from '../../source/backends/pool/ssh.js';
import {BaleenError} from '../../source/errors.js';
import type {RunStart, TestEnd, TestStart} from '../../source/events.js';
import {run} from '../../source/run/run.js';
import {FakeEngine, type Behaviour} from '../helpers/fake-engine.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';
import {testScheduler} from '../helpers/scheduler.js';

const fast: PoolTiming = {pingEveryMs: 20, backoffMs: () => 20, noEngineWaitMs: 300};

/** A fake engine by another name, so that two of them can be told apart. */
function named(name: string, engine: FakeEngine): FakeEngine {
	return new Proxy(engine, {
		get(target, key) {
			if (key === 'name') {
				return name;
			}

			const value = Reflect.get(target, key, target) as unknown;
			return typeof value === 'function' ? (value as (...arguments_: unknown[]) => unknown).bind(target) : value;
		},
	});
}

function member(name: string, engine: FakeEngine, slots?: number): Member {
	const at = named(name, engine);
	return {name, backend: dockerBackend(at), ping: async () => at.ping(), ...(slots !== undefined && {slots})};
}

const job = (file: string, slot?: number): Job => ({
	file,
	timeoutMs: 60_000,
	...(slot !== undefined && {slot}),
	spec: {image: 'shell', cmd: ['sh', file], env: [], binds: [], labels: {'baleen.run': 'unit', 'baleen.file': file}},
});

const request: PrepareRequest = {runId: 'unit', image: 'shell', engineWaitMs: 60_000};

async function events(events$: Observable<JobEvent>): Promise<JobEvent[]> {
	return lastValueFrom(events$.pipe(toArray(), timeout(5000)));
}

test('--engine takes a host URL or a context name, each with =SLOTS or not', () => {
	assert.deepEqual(parseEngine('unix:///tmp/a.sock'), {host: 'unix:///tmp/a.sock'});
	assert.deepEqual(parseEngine('tcp://10.0.0.2:2376=8'), {host: 'tcp://10.0.0.2:2376', slots: 8});
	assert.deepEqual(parseEngine('ssh://ci@build-2=4'), {host: 'ssh://ci@build-2', slots: 4});
	assert.deepEqual(parseEngine('remote-box=2'), {context: 'remote-box', slots: 2});
	assert.deepEqual(parseEngines(['a', {host: 'unix:///x'}]), [{context: 'a'}, {host: 'unix:///x'}]);
	for (const wrong of ['http://x', 'a=0', 'a=two', '=3', 'a b']) {
		assert.throws(() => parseEngine(wrong), BaleenError, wrong);
	}
});

test('a context is read from the docker CLI\'s store, with its TLS files; DOCKER_HOST, DOCKER_CONTEXT and currentContext choose as the CLI does', () => {
	const config = folder();
	const digest = createHash('sha256').update('remote').digest('hex');
	mkdirSync(path.join(config, 'contexts/meta', digest), {recursive: true});
	writeFileSync(path.join(config, 'contexts/meta', digest, 'meta.json'), JSON.stringify({Name: 'remote', Metadata: {}, Endpoints: {docker: {Host: 'tcp://10.1.2.3:2376', SkipTLSVerify: false}}}));
	const tls = path.join(config, 'contexts/tls', digest, 'docker');
	mkdirSync(tls, {recursive: true});
	for (const file of ['ca.pem', 'cert.pem', 'key.pem']) {
		writeFileSync(path.join(tls, file), 'pem');
	}

	const environment = {DOCKER_CONFIG: config};
	assert.deepEqual(contextEndpoint('remote', environment), {
		name: 'remote', host: 'tcp://10.1.2.3:2376', tls: {ca: path.join(tls, 'ca.pem'), cert: path.join(tls, 'cert.pem'), key: path.join(tls, 'key.pem'), verify: true},
	});
	assert.throws(() => contextEndpoint('nowhere', environment), /there is no Docker context "nowhere" in .*contexts/);
	assert.deepEqual(contextEndpoint('default', {...environment, DOCKER_HOST: 'tcp://h:2375'}), {name: 'default', host: 'tcp://h:2375'});

	assert.equal(currentContext(environment), undefined);
	writeFileSync(path.join(config, 'config.json'), JSON.stringify({currentContext: 'remote'}));
	assert.equal(currentContext(environment), 'remote');
	assert.equal(currentContext({...environment, DOCKER_CONTEXT: 'other'}), 'other');
	assert.equal(currentContext({...environment, DOCKER_HOST: 'unix:///x.sock'}), undefined, 'DOCKER_HOST wins, as for the docker CLI');
	assert.equal(currentContext({...environment, DOCKER_CONTEXT: 'default'}), undefined);

	const certs = folder({'ca.pem': 'ca', 'cert.pem': 'cert', 'key.pem': 'key'});
	assert.deepEqual(hostEndpoint('tcp://h:2376', {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs}).tls, {
		ca: path.join(certs, 'ca.pem'), cert: path.join(certs, 'cert.pem'), key: path.join(certs, 'key.pem'), verify: true,
	});
	assert.equal(hostEndpoint('tcp://h:2375', {}).tls, undefined);
});

test('a job goes to the engine that is up with the most free slots', () => {
	const engines = [{busy: [true, false], up: true}, {busy: [false, false, true], up: true}, {busy: [false, false, false], up: false}];
	assert.deepEqual(pick(engines), {engine: 1, slot: 0});
	assert.deepEqual(pick([{busy: [false], up: true}, {busy: [false], up: true}]), {engine: 0, slot: 0}, 'the first on a tie');
	assert.equal(pick([{busy: [true], up: true}, {busy: [false], up: false}]), undefined);
});

test('one run over two engines with different slots uses both, tells each file\'s engine, and lists the engines', async () => {
	const behaviours: Record<string, Behaviour> = Object.fromEntries(Array.from({length: 9}, (_, index) => [`f${index}.sh`, {runMs: 30}]));
	const a = new FakeEngine(behaviours);
	const b = new FakeEngine(behaviours);
	const backend = poolBackend('fake://a, fake://b', () => [member('fake://a', a, 1), member('fake://b', b, 2)], fast);
	const cwd = folder(Object.fromEntries(Object.keys(behaviours).map(file => [file, ''])));
	const all = await lastValueFrom(run({patterns: ['*.sh'], image: 'shell', command: 'sh {file}', cwd, runId: 'unit'}, {backend}).pipe(toArray(), timeout(5000)));

	const start = all[0] as RunStart;
	assert.equal(start.concurrency, 3);
	assert.equal(start.engine, 'fake://a, fake://b');
	assert.deepEqual(start.engines, [{name: 'fake://a', slots: 1}, {name: 'fake://b', slots: 2}]);
	const starts = all.filter((event): event is TestStart => event.type === 'test-start');
	const ends = all.filter((event): event is TestEnd => event.type === 'test-end');
	assert.equal(ends.length, 9);
	assert.ok(ends.every(end => end.status === 'passed'));
	assert.deepEqual(new Set(starts.map(start => start.engine)), new Set(['fake://a', 'fake://b']));
	assert.deepEqual(ends.map(end => end.engine).sort(), starts.map(start => start.engine).sort());
	assert.equal(a.containers.size + b.containers.size, 0, 'nothing left on either engine');
	// Each engine's local slots key its sandboxes: engine a has one holder, b two.
	assert.deepEqual(new Set(a.calls.filter(call => call.startsWith('create (holder')).map(call => call)), new Set(['create (holder 0)']));
	assert.deepEqual(new Set(b.calls.filter(call => call.startsWith('create (holder'))), new Set(['create (holder 0)', 'create (holder 1)']));
});

test('an engine that stops answering: its jobs end lost, it gets no more jobs, and it takes jobs again once it answers', async () => {
	const a = new FakeEngine({'hang.sh': {runMs: Number.POSITIVE_INFINITY}});
	const b = new FakeEngine();
	const onA = member('a', a, 1);
	const swept: string[] = [];
	let prepared = 0;
	const spied: Member = {...onA, backend: {
		...onA.backend,
		async prepare(request) {
			prepared++;
			return onA.backend.prepare(request);
		},
		async sweep(runId) {
			swept.push(runId);
			return onA.backend.sweep(runId);
		},
	}};
	const backend = poolBackend('a, b', () => [spied, member('b', b, 1)], fast);
	// A new network namespace per file (no sandboxes): the run's id comes with the request all the same.
	await backend.prepare(request);
	try {
		const hang$ = events(backend.run(job('hang.sh', 0), NEVER));
		await until(() => a.calls.includes('start hang.sh'), 'the hanging file to start on a', 2000);
		a.reachable = false;
		const hang = await hang$;
		assert.equal(hang[0]!.type, 'started');
		assert.deepEqual(hang.at(-1), {type: 'failed', message: 'lost the engine a: connect ENOENT /fake.sock', lost: true});

		// While a is lost, every job runs on b, one after another.
		const [one, two] = await Promise.all([events(backend.run(job('one.sh', 0), NEVER)), events(backend.run(job('two.sh', 1), NEVER))]);
		for (const file of [one, two]) {
			assert.deepEqual(file.find(event => event.type === 'started')?.engine, 'b');
			assert.deepEqual(file.at(-1), {type: 'exited', exitCode: 0});
		}

		a.reachable = true;
		await until(() => prepared === 2, 'a to be prepared again', 2000);
		assert.deepEqual(swept, ['unit'], 'what the run left on a was swept before it took files again');
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
		const [three, four] = await Promise.all([events(backend.run(job('three.sh', 0), NEVER)), events(backend.run(job('four.sh', 1), NEVER))]);
		assert.deepEqual(new Set([three, four].map(file => file.find(event => event.type === 'started')?.engine)), new Set(['a', 'b']));
	} finally {
		await backend.close();
	}

	assert.equal(a.containers.size + b.containers.size, 0);
});

for (const [how, failure] of [
	['fails the way a call to a gone engine fails', {type: 'failed', message: 'connect ECONNREFUSED 10.0.0.9:2375'}],
	['its backend tells lost', {type: 'failed', message: 'the Docker engine at gone went away (socket hang up)', lost: true}],
] as const) {
	test(`a job that ${how} ends lost and takes its engine out`, async () => {
		let runs = 0;
		const refusing: Backend = {
			name: 'gone',
			async prepare() {
				return {slots: 1, notes: []};
			},
			run() {
				runs++;
				return from<JobEvent[]>([{type: 'started', id: 'x', at: 0}, failure]);
			},
			async sweep() {
				return 0;
			},
			async close() {},
		};
		// The engine answers pings: only the job's failure can take it out.
		const backend = poolBackend('gone', () => [{name: 'gone', backend: refusing, ping: async () => undefined}], {...fast, pingEveryMs: 60_000, backoffMs: () => 60_000});
		await backend.prepare(request);
		try {
			assert.deepEqual((await events(backend.run(job('a.sh'), NEVER))).at(-1), {type: 'failed', message: `lost the engine gone: ${failure.message}`, lost: true});
			const stop$ = new Subject<void>();
			const waiting = events(backend.run(job('b.sh'), stop$));
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
			assert.equal(runs, 1, 'the lost engine got no other job');
			stop$.next();
			assert.deepEqual(await waiting, [] as JobEvent[], 'a job stopped while it waited for an engine never started');
		} finally {
			await backend.close();
		}
	});
}

test('with every engine lost past the bound, the jobs waiting and those to come fail with a message naming the engines', async () => {
	const a = new FakeEngine();
	const backend = poolBackend('a', () => [member('a', a, 1)], {...fast, noEngineWaitMs: 100});
	await backend.prepare(request);
	try {
		a.reachable = false;
		await new Promise(resolve => {
			setTimeout(resolve, 60);
		});
		const waited = Date.now();
		const [end] = await events(backend.run(job('a.sh'), NEVER));
		assert.ok(Date.now() - waited >= 30, 'it waited for the engine to come back');
		assert.deepEqual(end, {type: 'failed', message: 'no engine left to run on: every engine was lost and none came back within 0.1 s (--engine-wait): a (connect ENOENT /fake.sock)'});
		assert.equal((await firstValueFrom(backend.run(job('b.sh'), NEVER))).type, 'failed');
	} finally {
		await backend.close();
	}
});

test('an ssh:// engine is reached as the docker CLI reaches it: the machine\'s ssh, never prompting, running the stdio bridge', () => {
	assert.deepEqual(sshArguments(new URL('ssh://ci@build-2:2222')), ['-o', 'BatchMode=yes', '-l', 'ci', '-p', '2222', '--', 'build-2', 'docker', 'system', 'dial-stdio']);
	assert.deepEqual(sshArguments(new URL('ssh://build-2')), ['-o', 'BatchMode=yes', '--', 'build-2', 'docker', 'system', 'dial-stdio']);
});

test('an engine\'s health: lost at a failed ping or a report, back after rejoin succeeds, tried with backoff', () => {
	const virtual = testScheduler();
	virtual.run(({cold, hot, expectObservable}) => {
		let rejoins = 0;
		const health$ = health(
			// Pings answer until frame 30, then fail.
			() => (virtual.now() < 30 ? cold('-|') : cold('-#', undefined, new Error('connect ECONNREFUSED'))),
			// The first two attempts to bring it back fail, the later ones succeed.
			() => (++rejoins <= 2 ? cold('-#', undefined, new Error('still gone')) : cold('-|')),
			hot('60ms r', {r: 'socket hang up'}),
			{pingEveryMs: 10, backoffMs: attempt => 3 * (2 ** attempt)},
			virtual,
		);
		// Down at 31 (the ping at 30 fails a frame later); attempts at 34 and 41 fail, the one at 54 succeeds: up
		// at 55; a report at 60 takes it down again, and the attempt at 63 brings it back at 64.
		expectObservable(health$, '^ 69ms !').toBe('31ms d 23ms u 4ms r 3ms u', {
			d: {up: false, reason: 'connect ECONNREFUSED'},
			u: {up: true},
			r: {up: false, reason: 'socket hang up'},
		});
	});
});
