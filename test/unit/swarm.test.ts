import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Subject, lastValueFrom, take, toArray} from 'rxjs';
import type {Job, JobEvent} from '../../source/backends/backend.js';
import {swarmBackend} from '../../source/backends/swarm/backend.js';
import {serviceStore} from '../../source/backends/swarm/leftovers.js';
import {serviceName, serviceSpec} from '../../source/backends/swarm/spec.js';
import {demultiplex, type SwarmManager, type Task} from '../../source/backends/swarm/manager.js';
import {runTask} from '../../source/backends/swarm/task.js';
import {taskBoard} from '../../source/backends/swarm/board.js';
import {countWords, type Labelled} from '../../source/cleanup/leftovers.js';
import {removeLeftovers} from '../../source/cleanup/remove.js';
import {FakeEngine} from '../helpers/fake-engine.js';

const spec = {
	image: 'shell',
	cmd: ['/bin/sh', '-c', 'sh "$1"', 'sh', 'a.sh'],
	env: ['A=1'],
	workdir: '/suite',
	binds: ['/host/suite:/suite:ro', '/host/cache:/cache'],
	labels: {'baleen.run': 'r1', 'baleen.file': 'a.sh'},
};

describe('a job as a service', () => {
	test('is a replicated job of one completion, never restarted, its output kept where logs can read it', () => {
		const service = serviceSpec('baleen-r1-x', {...spec, limits: {memoryBytes: 1024, cpus: 0.5, pidsLimit: 64}, network: 'host'});
		assert.deepEqual(service, {
			Name: 'baleen-r1-x',
			Labels: spec.labels,
			TaskTemplate: {
				ContainerSpec: {
					Image: 'shell',
					// Args, as Cmd is for a container: the image's entrypoint stays.
					Args: spec.cmd,
					Env: ['A=1'],
					Dir: '/suite',
					Labels: spec.labels,
					Mounts: [{Type: 'bind', Source: '/host/suite', Target: '/suite', ReadOnly: true}, {Type: 'bind', Source: '/host/cache', Target: '/cache'}],
				},
				RestartPolicy: {Condition: 'none', MaxAttempts: 1},
				LogDriver: {Name: 'json-file'},
				Resources: {Limits: {MemoryBytes: 1024, NanoCPUs: 500_000_000, Pids: 64}},
				Networks: [{Target: 'host'}],
			},
			Mode: {ReplicatedJob: {MaxConcurrent: 1, TotalCompletions: 1}},
		});
	});

	test('joins no network when it is the default bridge, and has no limits when none are asked', () => {
		const {TaskTemplate} = serviceSpec('n', {...spec, network: 'bridge'});
		assert.equal(TaskTemplate?.Networks, undefined);
		assert.equal(TaskTemplate?.Resources, undefined);
	});

	test('has a name Docker takes, whatever the run id', () => {
		assert.equal(serviceName('a b/c--d', 'f00d'), 'baleen-a-b-c-d-f00d');
		assert.ok(serviceName('x'.repeat(80), '12345678').length <= 63);
	});
});

test('the logs\' frames are split into stdout and stderr, a frame cut short kept as far as it goes', () => {
	const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0, 0, 0, 0, text.length]), Buffer.from(text)]);
	const outputs = demultiplex(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more')]));
	assert.deepEqual(outputs.map(({stream, chunk}) => [stream, Buffer.from(chunk).toString()]), [['stdout', 'out\n'], ['stderr', 'err\n'], ['stdout', 'more']]);
	assert.deepEqual(demultiplex(Buffer.alloc(0)), []);
});

/** A manager whose one service goes through `states`, one a poll, staying in the last. */
function fakeManager(states: Array<Partial<Task>>, logs = [{stream: 'stdout' as const, chunk: Buffer.from('hi\n')}]) {
	const calls: string[] = [];
	let polls = 0;
	const manager: SwarmManager = {
		name: 'fake://manager',
		whyNotManager: async () => undefined,
		cpus: async () => 4,
		async create() {
			calls.push('create');
			return 's1';
		},
		async tasks(label) {
			calls.push(`tasks ${label}`);
			const state = states[Math.min(polls++, states.length - 1)];
			return new Map(state ? [['s1', {id: 't1', state: 'new', ...state}]] : []);
		},
		async logs() {
			calls.push('logs');
			return logs;
		},
		async remove() {
			calls.push('remove');
		},
		removeLabelled: async () => 0,
		list: async () => [],
	};
	const removeService = async () => {
		calls.push('removed');
	};

	/** Looks at the tasks every `interval` ms, as the backend's board does. */
	const context = (interval = 1) => ({manager, runId: 'r1', removeService, board$: taskBoard(manager, 'baleen.run=r1', interval)});
	return {manager, calls, context, removeService};
}

/** The calls but the looks at the tasks, which depend on timing. */
const actions = (calls: string[]) => calls.filter(call => !call.startsWith('tasks'));

const job: Job = {file: 'a.sh', spec, timeoutMs: 1000};
const events = async (observable: ReturnType<typeof runTask>) => lastValueFrom(observable.pipe(toArray()));
const types = (list: JobEvent[]) => list.map(event => event.type === 'exited' ? `exited ${event.exitCode}` : event.type);

describe('a task', () => {
	test('that runs and exits tells started, running, its output, its exit code, then removes the service', async () => {
		const {calls, context} = fakeManager([{state: 'pending'}, {state: 'running', containerId: 'c1'}, {state: 'failed', containerId: 'c1', exitCode: 3}]);
		const list = await events(runTask(context(), job, new Subject()));
		assert.deepEqual(types(list), ['started', 'running', 'output', 'exited 3']);
		assert.deepEqual(list[0], {type: 'started', id: 'c1', at: (list[0] as {at: number}).at});
		assert.deepEqual(actions(calls), ['create', 'logs', 'removed']);
		assert.ok(calls.includes('tasks baleen.run=r1'), 'the run\'s tasks are looked at by its label');
	});

	test('that ends between two looks is still told as started before its output', async () => {
		const {context} = fakeManager([{state: 'complete', containerId: 'c1', exitCode: 0}]);
		assert.deepEqual(types(await events(runTask(context(), job, new Subject()))), ['started', 'running', 'output', 'exited 0']);
	});

	test('that Swarm rejects fails with Swarm\'s reason, and its service goes', async () => {
		const {calls, context} = fakeManager([{state: 'rejected', message: 'No such image: nope:latest'}]);
		const list = await events(runTask(context(), job, new Subject()));
		assert.deepEqual(list, [{type: 'failed', message: 'the Swarm task ended rejected: No such image: nope:latest'}]);
		assert.deepEqual(actions(calls), ['create', 'removed']);
	});

	test('whose node went away fails as lost, so that the file may run again elsewhere', async () => {
		const {context} = fakeManager([{state: 'running', containerId: 'c1'}, {state: 'orphaned', containerId: 'c1', message: 'node is down'}]);
		const list = await events(runTask(context(), job, new Subject()));
		assert.deepEqual(list.at(-1), {type: 'failed', message: 'the Swarm task ended orphaned: node is down', lost: true});
	});

	test('that no node takes within the job\'s timeout fails, saying what holds it', async () => {
		const {calls, context} = fakeManager([{state: 'pending', message: 'no suitable node (insufficient resources on 1 node)'}]);
		const list = await events(runTask(context(5), {...job, timeoutMs: 20}, new Subject()));
		assert.deepEqual(list, [{type: 'failed', message: 'no Swarm node ran the task within 0.02 s (pending: no suitable node (insufficient resources on 1 node))'}]);
		assert.deepEqual(actions(calls), ['create', 'removed']);
	});

	test('told to stop reads what was printed so far, tells no exit status and removes the service', async () => {
		const {calls, context} = fakeManager([{state: 'running', containerId: 'c1'}]);
		const stop$ = new Subject<void>();
		const running = events(runTask(context(10_000), job, stop$));
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
		stop$.next();
		assert.deepEqual(types(await running), ['started', 'running', 'output']);
		assert.deepEqual(actions(calls), ['create', 'logs', 'removed']);
	});

	test('unsubscribed before its end still has its service removed', async () => {
		const {calls, context} = fakeManager([{state: 'running', containerId: 'c1'}]);
		const subscription = runTask(context(10_000), job, new Subject()).subscribe();
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
		subscription.unsubscribe();
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
		assert.ok(calls.includes('removed'), calls.join(', '));
	});
});

describe('the backend', () => {
	test('takes its slots from the swarm\'s nodes, never keeps a sandbox, and sweeps services before containers', async () => {
		const engine = new FakeEngine();
		const {manager} = fakeManager([]);
		const swept: string[] = [];
		manager.removeLabelled = async labels => {
			swept.push(`services ${JSON.stringify(labels)}`);
			return 2;
		};

		engine.removeLabelled = async labels => {
			swept.push(`containers ${JSON.stringify(labels)}`);
			return 1;
		};

		const backend = swarmBackend({engine, manager});
		assert.equal(backend.name, 'swarm fake://manager');
		assert.deepEqual(await backend.prepare({runId: 'r1', image: 'shell', engineWaitMs: 60_000, sandboxes: {labels: {}}}), {slots: 4, notes: []});
		assert.deepEqual(engine.calls.filter(call => call.startsWith('create')), [], 'no holder is made');
		assert.equal(await backend.sweep('r1'), 3);
		assert.deepEqual(swept, ['services {"baleen.run":"r1"}', 'containers {"baleen.run":"r1"}']);
	});

	test('refuses, in one line each, an engine that is no manager, an image it lacks and the network none', async () => {
		const reason = async (change: (manager: SwarmManager, engine: FakeEngine) => void, image = 'shell', network?: string) => {
			const engine = new FakeEngine();
			const {manager} = fakeManager([]);
			change(manager, engine);
			return swarmBackend({engine, manager}).prepare({runId: 'r1', image, engineWaitMs: 60_000, ...(network && {network})}).then(() => 'prepared', (error: Error) => error.message);
		};

		assert.equal(await reason(manager => {
			manager.whyNotManager = async () => 'it is a worker of a swarm, not a manager; give a manager\'s address';
		}), '--swarm: the Docker engine at fake://manager cannot place tasks: it is a worker of a swarm, not a manager; give a manager\'s address');
		assert.equal(await reason(() => undefined, 'missing'), 'image "missing" is not on the Docker engine at fake://engine; build or pull it there first');
		assert.match(await reason(() => undefined, 'shell', 'none'), /^--network none: Swarm services have no such network/);
	});
});

test('the jobs of a run share one look at its tasks, and a slow look is not doubled', async () => {
	let looks = 0;
	const {manager} = fakeManager([]);
	manager.tasks = async () => {
		looks++;
		await new Promise(resolve => {
			setTimeout(resolve, 30);
		});
		return new Map();
	};

	const board$ = taskBoard(manager, 'baleen.run=r1', 10);
	const [first, second] = await Promise.all([lastValueFrom(board$.pipe(take(2), toArray())), lastValueFrom(board$.pipe(take(2), toArray()))]);
	assert.equal(first[0], second[0], 'both jobs see the same look');
	assert.equal(first[1], second[1]);
	assert.equal(looks, 2, 'no look starts while one is under way');
});

test('a Swarm manager\'s services are leftovers too, removed before containers and counted', async () => {
	const labels = {'baleen.run': 'old', 'baleen.owner': 'elsewhere:1', 'baleen.deadline': '2000-01-01T00:00:00.000Z'};
	const removed: string[] = [];
	const {manager} = fakeManager([]);
	manager.list = async () => [{id: 'svc', name: 'baleen-old-1', labels}];
	manager.remove = async id => {
		removed.push(`service ${id}`);
	};

	const containers = {
		list: async (): Promise<Labelled[]> => [{kind: 'container', id: 'ctr', name: 'x', labels}],
		async remove(thing: Labelled) {
			removed.push(`${thing.kind} ${thing.id}`);
		},
	};
	const found = await removeLeftovers([containers, serviceStore(manager)], {now: {host: 'here', isAlive: () => true, now: Date.now()}});
	assert.deepEqual(removed, ['service svc', 'container ctr']);
	assert.equal(countWords(found.map(({thing}) => thing)), '1 service and 1 container');
});
