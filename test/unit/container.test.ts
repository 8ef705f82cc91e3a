import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	ReplaySubject, Subject, asyncScheduler, lastValueFrom, tap, toArray, type SchedulerLike,
} from 'rxjs';
import type {JobEvent} from '../../source/backends/backend.js';
import {runContainer} from '../../source/backends/docker/container.js';
import type {ContainerSpec} from '../../source/backends/docker/engine.js';
import {FakeEngine} from '../helpers/fake-engine.js';

const spec: ContainerSpec = {image: 'shell', cmd: ['sh', 'a.sh'], env: [], binds: [], labels: {'baleen.file': 'a.sh'}};
const types = (events: JobEvent[]) => events.map(event => event.type);

describe('a container', () => {
	test('is created, attached, started, waited for and removed; its start is timed by the scheduler', async () => {
		const engine = new FakeEngine({'a.sh': {exitCode: 3, output: [{stream: 'stdout', chunk: Buffer.from('hi\n')}]}});
		const scheduler: SchedulerLike = {now: () => 42, schedule: asyncScheduler.schedule.bind(asyncScheduler)};
		const events = await lastValueFrom(runContainer({engine, spec, stop$: new Subject(), scheduler}).pipe(toArray()));
		assert.deepEqual(types(events), ['started', 'running', 'output', 'exited']);
		assert.deepEqual(events[0], {type: 'started', id: 'c1', at: 42});
		assert.deepEqual(events.at(-1), {type: 'exited', exitCode: 3});
		assert.deepEqual(engine.calls, ['create a.sh', 'attach a.sh', 'start a.sh', 'remove a.sh']);
	});

	test('stopped before its turn makes nothing, and the one made ahead goes before it completes', async () => {
		const engine = new FakeEngine();
		const made = engine.create(spec);
		const stop$ = new ReplaySubject<void>(1);
		stop$.next();
		const events = await lastValueFrom(runContainer({engine, spec, stop$, made}).pipe(toArray()));
		assert.deepEqual(events, []);
		assert.deepEqual(engine.calls, ['create a.sh', 'remove a.sh']);
	});

	test('killed, but not said to end by its engine within the call deadline, fails naming the engine', async () => {
		const engine = Object.assign(new FakeEngine({'a.sh': {runMs: Number.POSITIVE_INFINITY}}), {callTimeoutMs: 50});
		engine.kill = async () => undefined; // The engine takes the kill and says nothing more.
		const stop$ = new ReplaySubject<void>(1);
		const events = await lastValueFrom(runContainer({engine, spec, stop$}).pipe(
			tap(event => {
				if (event.type === 'running') {
					stop$.next();
				}
			}),
			toArray(),
		));
		assert.deepEqual(types(events), ['started', 'running', 'failed']);
		assert.deepEqual(events.at(-1), {type: 'failed', message: 'the Docker engine at fake://engine did not answer the end of the container it was told to kill within 0.05 s'});
		assert.equal(engine.containers.size, 0, 'removed all the same');
	});
});

test('a results file sent behind the output is taken even when all of the output, the file included, came before start answered', async () => {
	const engine = new FakeEngine({'a.sh': {output: [{stream: 'stderr', chunk: Buffer.from('own line\nMARK-sent 5\nhello')}]}});
	const start = engine.start.bind(engine);
	let archived = 0;
	engine.start = async id => {
		await start(id);
		// The process ends (and its output with it) on the next turn; start answers a while after.
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	};

	engine.archive = async () => {
		archived++;
		return undefined;
	};

	const events = await lastValueFrom(runContainer({engine, spec, stop$: new Subject(), copy: {results: '/tmp/r.xml'}, sentHeader: 'MARK-sent'}).pipe(toArray()));
	assert.deepEqual(types(events), ['started', 'output', 'running', 'exited']);
	assert.deepEqual(events.at(-1), {type: 'exited', exitCode: 0, copied: {results: {path: '/tmp/r.xml', text: 'hello'}}});
	assert.equal(archived, 0, 'not copied out of the container');
});
