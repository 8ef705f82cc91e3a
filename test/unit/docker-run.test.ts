import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Subject, filter, lastValueFrom, timeout} from 'rxjs';
import {dockerBackend} from '../../source/backends/docker/backend.js';
import {BaleenError} from '../../source/errors.js';
import type {CancelSignal, RunEvent} from '../../source/events.js';
import {run} from '../../source/run/run.js';
import type {RunOptions} from '../../source/options/types.js';
import {containerCommand} from '../../source/command.js';
import {FakeEngine, type Behaviour} from '../helpers/fake-engine.js';
import {until} from '../helpers/poll.js';
import {
	collect, ends, options, runEnd, statusOf, suite,
} from '../helpers/run.js';

/*
A run through the Docker backend on a fake engine: what the backend makes of the run's jobs (containers,
their labels and commands, the slots' network holders, containers made ahead and removed behind). What
run() itself does with any backend is in run.test.ts.
*/

/** A file's command as the run measures it (see resources/probe.ts), with the run's own marker, which is random. */
const measuredCommand = (cmd: string[], template: string, file: string) => containerCommand(template, file, undefined, [], /baleen-resources-[\da-f]{16}/.exec(cmd[2]!)?.[0] ?? 'no marker');

/** The calls made for files, leaving out those for the slots' network holders. */
const fileCalls = (engine: FakeEngine) => engine.calls.filter(call => !call.includes('(holder'));

async function runWith(behaviours: Record<string, Behaviour>, extra: Partial<RunOptions> = {}, engine = new FakeEngine(behaviours)) {
	const events = await collect(run(options(suite(...Object.keys(behaviours)), extra), {backend: dockerBackend(engine)}));
	return {engine, events};
}

test('every container is labelled with the run, the file, its owner, a deadline and BALEEN_TAG', async t => {
	const outer = process.env.BALEEN_TAG;
	process.env.BALEEN_TAG = 'suite:/home/ci/baleen';
	t.after(() => {
		process.env.BALEEN_TAG = outer;
		if (outer === undefined) {
			delete process.env.BALEEN_TAG;
		}
	});
	const engine = new FakeEngine({'x y.sh': {runMs: Number.POSITIVE_INFINITY}});
	const subscription = run(options(suite('x y.sh')), {backend: dockerBackend(engine)}).subscribe();
	try {
		await waitFor(() => engine.running().length === 1);
		const {spec} = [...engine.containers.values()].find(({spec}) => spec.labels['baleen.file'])!;
		assert.equal(spec.labels['baleen.run'], 'unit');
		assert.equal(spec.labels['baleen.file'], 'x y.sh');
		assert.match(spec.labels['baleen.owner']!, /:\d+$/);
		assert.equal(spec.labels['baleen.tag'], 'suite:/home/ci/baleen');
		assert.ok(Date.parse(spec.labels['baleen.deadline']!) > Date.now() + 600_000);
		assert.deepEqual(spec.cmd, measuredCommand(spec.cmd, 'sh {file}', 'x y.sh'));
		assert.ok(spec.env.includes('BALEEN_RUN_ID=unit'));
		assert.ok(spec.env.includes('BALEEN_FILE=x y.sh'));
		const [holder] = engine.kept('holder');
		assert.deepEqual({...holder!.labels, 'baleen.deadline': 'x'}, {
			'baleen.run': 'unit', 'baleen.owner': spec.labels['baleen.owner'], 'baleen.tag': 'suite:/home/ci/baleen', 'baleen.deadline': 'x', 'baleen.role': 'holder', 'baleen.slot': '0',
		});
	} finally {
		subscription.unsubscribe();
	}

	await waitFor(() => engine.containers.size === 0);
});

test('problems found before the first container are BaleenErrors and start nothing', async () => {
	const directory = suite('a.sh');
	const cases: Array<[Partial<RunOptions>, RegExp, (engine: FakeEngine) => void]> = [
		[{patterns: ['nothing/*.sh']}, /no file matches nothing\/\*\.sh in /, () => undefined],
		[{image: ''}, /--image is required/, () => undefined],
		[{command: ' '}, /--command is required/, () => undefined],
		[{image: 'absent:1'}, /image "absent:1" is not on the Docker engine at fake:\/\/engine/, () => undefined],
		[{}, /cannot reach the Docker engine at fake:\/\/engine \(connect ENOENT \/fake.sock\); start it, or set DOCKER_HOST/, engine => {
			engine.reachable = false;
		}],
		[{concurrency: 0}, /--concurrency must be a whole number of at least 1/, () => undefined],
		[{timeoutSeconds: -1}, /--timeout must be a number of seconds greater than 0/, () => undefined],
		[{mounts: ['missing:/x']}, /--mount source "missing" does not exist/, () => undefined],
	];
	for (const [extra, message, arrange] of cases) {
		const engine = new FakeEngine();
		arrange(engine);
		await assert.rejects(collect(run(options(directory, extra), {backend: dockerBackend(engine)})), (error: Error) => {
			assert.ok(error instanceof BaleenError, `${String(error)} is a BaleenError`);
			assert.match(error.message, message);
			return true;
		});
		assert.deepEqual(engine.calls, []);
	}
});

test('the concurrency defaults to the engine\'s CPU count, and is never more than the files', async () => {
	const {events: few} = await runWith({'a.sh': {}});
	assert.equal(few[0]?.type === 'run-start' && few[0].concurrency, 1);
	const {events} = await runWith({'a.sh': {}, 'b.sh': {}, 'c.sh': {}, 'd.sh': {}});
	const [start] = events;
	assert.equal(start?.type === 'run-start' && start.concurrency, 3);
});

const waitFor = async (condition: () => boolean) => until(() => condition(), 'the condition', 5000);

test('cancel: the running containers are killed; those made ahead go unstarted; all are removed', async () => {
	const forever = {runMs: Number.POSITIVE_INFINITY};
	const engine = new FakeEngine({'1.sh': forever, '2.sh': forever, '3.sh': forever, '4.sh': forever, '5.sh': forever});
	const cancel$ = new Subject<CancelSignal>();
	const events: RunEvent[] = [];
	const done = lastValueFrom(run(options(suite('1.sh', '2.sh', '3.sh', '4.sh', '5.sh'), {concurrency: 2}), {backend: dockerBackend(engine), cancel$}).pipe(
		filter(event => {
			events.push(event);
			return event.type === 'run-end';
		}),
		// A failed assertion below must not leave the run (and this file) waiting for ever.
		timeout({first: 5000, with() {
			assert.fail('the run did not end within 5 s');
		}}),
	));
	await waitFor(() => engine.running().length === 2);
	cancel$.next('SIGINT');
	const end = await done;

	assert.deepEqual(statusOf(events), {'1.sh': 'cancelled', '2.sh': 'cancelled', '3.sh': 'cancelled', '4.sh': 'cancelled', '5.sh': 'cancelled'});
	assert.deepEqual(fileCalls(engine).filter(call => call.startsWith('start')), ['start 1.sh', 'start 2.sh'], 'no file starts after the cancel');
	// Each slot made its next file's container ahead; those go unstarted, and 5.sh is never made.
	assert.deepEqual(fileCalls(engine).filter(call => call.startsWith('create')), ['create 1.sh', 'create 2.sh', 'create 3.sh', 'create 4.sh']);
	assert.deepEqual(fileCalls(engine).filter(call => call.startsWith('remove')).toSorted(), ['remove 1.sh', 'remove 2.sh', 'remove 3.sh', 'remove 4.sh']);
	assert.deepEqual(engine.calls.filter(call => call.startsWith('kill')).toSorted(), ['kill 1.sh', 'kill 2.sh']);
	assert.equal(engine.containers.size, 0, 'nothing is left');
	assert.deepEqual(end.summary, {total: 5, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 5});
	assert.equal(end.exitCode, 130);
	assert.equal(end.signal, 'SIGINT');
});

test('cancel while a container is being created: it is removed, never started', async () => {
	const engine = new FakeEngine({'a.sh': {}});
	const cancel$ = new Subject<CancelSignal>();
	const create = engine.create.bind(engine);
	engine.create = async spec => {
		const id = await create(spec);
		if (spec.labels['baleen.file']) {
			cancel$.next('SIGTERM');
		}

		return id;
	};

	const events = await collect(run(options(suite('a.sh')), {backend: dockerBackend(engine), cancel$}));
	assert.deepEqual(statusOf(events), {'a.sh': 'cancelled'});
	assert.deepEqual(fileCalls(engine), ['create a.sh', 'remove a.sh']);
	assert.equal(runEnd(events).exitCode, 143);
});

test('unsubscribing (a forced stop) removes every container at once', async () => {
	const forever = {runMs: Number.POSITIVE_INFINITY};
	const engine = new FakeEngine({'1.sh': forever, '2.sh': forever, '3.sh': forever});
	const subscription = run(options(suite('1.sh', '2.sh', '3.sh')), {backend: dockerBackend(engine)}).subscribe();
	try {
		await waitFor(() => engine.running().length === 3);
	} finally {
		subscription.unsubscribe();
	}

	await waitFor(() => engine.containers.size === 0);
	assert.deepEqual(engine.calls.filter(call => call.startsWith('remove')).toSorted(), ['remove (holder 0)', 'remove (holder 1)', 'remove (holder 2)', 'remove 1.sh', 'remove 2.sh', 'remove 3.sh']);
});

test('a container that cannot be created, started or attached to is an error result for its file, with the engine\'s message; the others go on', async () => {
	const {engine, events} = await runWith({'a.sh': {failOn: 'start'}, 'b.sh': {failOn: 'attach'}, 'c.sh': {}, 'd.sh': {failOn: 'create'}});
	assert.deepEqual(statusOf(events), {'a.sh': 'error', 'b.sh': 'error', 'c.sh': 'passed', 'd.sh': 'error'});
	assert.equal(ends(events).find(event => event.file === 'a.sh')!.error, 'exec: "/bin/sh": no such file');
	assert.equal(ends(events).find(event => event.file === 'd.sh')!.error, 'invalid mount config for d.sh');
	assert.equal(engine.containers.size, 0);
});

test('output that comes before start has answered still follows test-start', async () => {
	const {events} = await runWith({'eager.sh': {outputAtStart: [{stream: 'stderr', chunk: Buffer.from('first words\n')}]}});
	assert.deepEqual(events.map(event => event.type), ['run-start', 'test-start', 'test-output', 'test-end', 'run-end']);
	assert.equal(ends(events)[0]?.stderr, 'first words\n');
});

/** The NetworkMode each file's container was made with. */
const networkModes = (engine: FakeEngine, created: Array<{file?: string; mode?: string}>) => {
	const create = engine.create.bind(engine);
	engine.create = async spec => {
		created.push({file: spec.labels['baleen.file'], mode: spec.networkMode});
		return create(spec);
	};
};

test('each slot keeps one network holder for the files it runs; holders go before run-end', async () => {
	const behaviours = Object.fromEntries(Array.from({length: 6}, (_, index) => [`${index}.sh`, {runMs: 5}]));
	const engine = new FakeEngine(behaviours);
	const created: Array<{file?: string; mode?: string}> = [];
	networkModes(engine, created);
	const {events} = await runWith(behaviours, {concurrency: 2, network: 'mynet'}, engine);
	assert.equal(runEnd(events).exitCode, 0);
	const holders = created.filter(({file}) => !file);
	assert.deepEqual(holders.map(({mode}) => mode), ['mynet', 'mynet'], 'two slots, two holders, on the network asked for');
	const modes = new Set(created.filter(({file}) => file).map(({mode}) => mode));
	assert.equal(modes.size, 2, 'six files share two namespaces');
	assert.ok([...modes].every(mode => /^container:c\d+$/.test(mode!)));
	assert.equal(engine.containers.size, 0, 'holders are removed too');
});

test('--fresh-network and --network host: no holder, each file on the network itself', async () => {
	for (const extra of [{freshNetwork: true}, {network: 'host'}]) {
		const engine = new FakeEngine();
		const created: Array<{file?: string; mode?: string}> = [];
		networkModes(engine, created);
		const {events} = await runWith({'a.sh': {}, 'b.sh': {}}, extra, engine);
		assert.equal(runEnd(events).exitCode, 0);
		assert.deepEqual(created.map(({mode}) => mode), [extra.network, extra.network]);
	}
});

test('an image that cannot hold a namespace: a fresh one per file, and a note on run-start says why', async () => {
	const engine = new FakeEngine();
	engine.canHold = false;
	const {events} = await runWith({'a.sh': {}}, {}, engine);
	const [start] = events;
	assert.deepEqual(start?.type === 'run-start' && start.notes, ['each file gets a network namespace of its own: the image cannot keep one for a slot (exec: "sleep": no such file)']);
	assert.deepEqual(statusOf(events), {'a.sh': 'passed'});
	assert.equal(engine.containers.size, 0);
});

test('a fast exit 127 of a file the container lacks carries the stale-image hint', async () => {
	const {events} = await runWith({'new.sh': {exitCode: 127, missing: true}, 'old.sh': {exitCode: 127}});
	const hints = Object.fromEntries(ends(events).map(end => [end.file, end.hint]));
	assert.match(hints['new.sh']!, /image may be stale \(built before this file was added\)/);
	assert.equal(hints['old.sh'], undefined);
});

/** The commands of the files' containers, as the engine is asked to create them. */
function fileCommands(engine: FakeEngine): string[][] {
	const commands: string[][] = [];
	const create = engine.create.bind(engine);
	engine.create = async spec => {
		if (spec.labels['baleen.file']) {
			commands.push(spec.cmd);
		}

		return create(spec);
	};

	return commands;
}

test('under --memory, a file whose command left the OOM marker fails as out of memory whatever its exit code; without the marker, or passing, it does not', async () => {
	const engine = new FakeEngine({
		'killed.sh': {exitCode: 137, outOfMemory: true},
		'runner.sh': {exitCode: 1, outOfMemory: true},
		'plain.sh': {exitCode: 1},
		'tolerant.sh': {exitCode: 0, outOfMemory: true},
	});
	const commands = fileCommands(engine);
	const {events} = await runWith(engine.behaviours, {memory: '32m'}, engine);
	const reasons = Object.fromEntries(ends(events).map(end => [end.file, [end.status, end.exitCode, end.reason]]));
	assert.deepEqual(reasons, {
		'killed.sh': ['failed', 137, 'out of memory'],
		'runner.sh': ['failed', 1, 'out of memory'],
		'plain.sh': ['failed', 1, undefined],
		'tolerant.sh': ['passed', 0, undefined],
	});
	// The file's own command runs under the shell that looks at the cgroup's count once it has ended.
	assert.equal(commands.length, 4);
	for (const command of commands) {
		assert.deepEqual(command.slice(0, 2), ['/bin/sh', '-c']);
		assert.match(command[2]!, /oom_kill/);
		assert.deepEqual(command.slice(3, 5), ['sh', '/bin/sh']);
	}
});

test('without --memory, a file\'s command is its own, and no marker is looked for', async () => {
	const engine = new FakeEngine({'runner.sh': {exitCode: 1, outOfMemory: true}});
	const commands = fileCommands(engine);
	const {events} = await runWith(engine.behaviours, {}, engine);
	assert.equal(ends(events)[0]!.reason, undefined);
	assert.deepEqual(commands, [measuredCommand(commands[0]!, 'sh {file}', 'runner.sh')]);
});

test('remove behind: a slot starts its next file while the last one\'s container is still being removed; run-end waits for every removal', async () => {
	const engine = new FakeEngine({'a.sh': {}, 'b.sh': {}, 'c.sh': {}});
	const remove = engine.remove.bind(engine);
	engine.remove = async id => {
		const file = engine.containers.get(id) && engine.fileOf(engine.containers.get(id)!.spec);
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
		await remove(id);
		engine.calls.push(`removed ${file}`);
	};

	const left: number[] = [];
	const events = await collect(run(options(suite('a.sh', 'b.sh', 'c.sh'), {concurrency: 1}), {backend: dockerBackend(engine)}).pipe(filter(event => {
		if (event.type === 'run-end') {
			left.push(engine.containers.size);
		}

		return true;
	})));
	assert.equal(runEnd(events).exitCode, 0);
	const calls = fileCalls(engine);
	assert.ok(calls.indexOf('start b.sh') < calls.indexOf('removed a.sh'), calls.join(', '));
	assert.ok(calls.indexOf('start c.sh') < calls.indexOf('removed b.sh'), calls.join(', '));
	assert.deepEqual(left, [0], 'nothing is left when run-end comes, holders included');
});

test('create ahead: while a slot\'s file runs, the container of its next file is made; the slot then only starts it', async () => {
	const {engine, events} = await runWith({'a.sh': {runMs: 30}, 'b.sh': {runMs: 30}, 'c.sh': {}}, {concurrency: 1});
	assert.deepEqual(statusOf(events), {'a.sh': 'passed', 'b.sh': 'passed', 'c.sh': 'passed'});
	const calls = fileCalls(engine);
	assert.ok(calls.indexOf('create b.sh') < calls.indexOf('remove a.sh'), calls.join(', '));
	assert.ok(calls.indexOf('create c.sh') < calls.indexOf('remove b.sh'), calls.join(', '));
	assert.equal(calls.filter(call => call.startsWith('create')).length, 3, 'each container made once');
	assert.equal(engine.containers.size, 0);
});

test('create ahead: a file made ahead in a busy slot but run by an idle one is made again there; the first goes unstarted', async () => {
	// Slot 0 runs a-slow.sh and makes c.sh ahead; slot 1 runs b.sh and d.sh, then has nothing left but c.sh.
	const engine = new FakeEngine({'a-slow.sh': {runMs: 300}, 'b.sh': {runMs: 20}, 'c.sh': {}, 'd.sh': {runMs: 20}});
	const created: Array<{file?: string; mode?: string}> = [];
	networkModes(engine, created);
	const {events} = await runWith({'a-slow.sh': {}, 'b.sh': {}, 'c.sh': {}, 'd.sh': {}}, {concurrency: 2}, engine);
	assert.deepEqual(statusOf(events), {'a-slow.sh': 'passed', 'b.sh': 'passed', 'c.sh': 'passed', 'd.sh': 'passed'});
	const made = created.filter(({file}) => file === 'c.sh').map(({mode}) => mode);
	assert.equal(made.length, 2, 'made ahead in slot 0, then in slot 1');
	assert.notEqual(made[0], made[1], 'each in its own slot\'s namespace');
	assert.equal(fileCalls(engine).filter(call => call === 'start c.sh').length, 1);
	assert.equal(fileCalls(engine).filter(call => call === 'remove c.sh').length, 2);
	const end = (file: string) => events.findIndex(event => event.type === 'test-end' && event.file === file);
	assert.ok(end('c.sh') < end('a-slow.sh'), 'c.sh did not wait behind the slow file');
	assert.equal(engine.containers.size, 0);
});

test('create ahead: unsubscribing (a forced stop) removes the containers made ahead too', async () => {
	const forever = {runMs: Number.POSITIVE_INFINITY};
	const engine = new FakeEngine({'1.sh': forever, '2.sh': forever, '3.sh': forever, '4.sh': forever, '5.sh': forever});
	const subscription = run(options(suite('1.sh', '2.sh', '3.sh', '4.sh', '5.sh'), {concurrency: 2}), {backend: dockerBackend(engine)}).subscribe();
	try {
		await waitFor(() => fileCalls(engine).filter(call => call.startsWith('create')).length === 4);
	} finally {
		subscription.unsubscribe();
	}

	await waitFor(() => engine.containers.size === 0);
	assert.deepEqual(fileCalls(engine).filter(call => call.startsWith('remove')).toSorted(), ['remove 1.sh', 'remove 2.sh', 'remove 3.sh', 'remove 4.sh']);
});

test('--keep-failed with --retries keeps the last attempt\'s container only; under --bail, each failed attempt\'s', async () => {
	const {engine, events} = await runWith({'fails.sh': {exitCode: 1}}, {keepFailed: true, retries: 2});
	assert.deepEqual(fileCalls(engine).filter(call => call.startsWith('commit')), ['commit fails.sh'], 'three attempts, one image');
	const retries = events.filter(event => event.type === 'test-retry');
	assert.deepEqual(retries.map(event => event.kept), [undefined, undefined]);
	assert.equal(ends(events)[0]!.kept?.image, `sha256:kept-${engine.committed[0]}`);

	const bailing = await runWith({'fails.sh': {exitCode: 1}}, {keepFailed: true, retries: 1, bail: 1});
	assert.deepEqual(fileCalls(bailing.engine).filter(call => call.startsWith('commit')), ['commit fails.sh', 'commit fails.sh']);
});
