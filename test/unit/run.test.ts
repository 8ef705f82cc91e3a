import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	NEVER, Subject, concat, filter, finalize, lastValueFrom, map, of, take, tap, timeout, type Observable,
} from 'rxjs';
import type {Job, JobEvent, Output} from '../../source/backends/backend.js';
import type {CancelSignal, RunEvent} from '../../source/events.js';
import {tailBytes} from '../../source/run/lifecycle.js';
import type {RunOptions} from '../../source/options/types.js';
import {run} from '../../source/run/run.js';
import {version} from '../../source/version.js';
import {fakeBackend} from '../helpers/fake-backend.js';
import {until} from '../helpers/poll.js';
import {
	collect, ends, options, runEnd, statusOf, suite,
} from '../helpers/run.js';

/*
run() on a backend with no engine under it: what the run makes of its jobs' events, whatever the backend.
What the Docker backend makes of the jobs is in docker-run.test.ts.
*/

/** What a job does, given its stop signal. */
type Life = (stop$: Observable<unknown>, job: Job) => Observable<JobEvent>;

const started = (job: Job): JobEvent => ({type: 'started', id: `c-${job.file}`, at: 0});
const running: JobEvent = {type: 'running'};

/** Starts, prints `output`, exits with `exitCode`. */
const exits = (exitCode: number, ...output: Output[]): Life => (_stop$, job) => of<JobEvent[]>(started(job), running, ...output.map((chunk): JobEvent => ({type: 'output', ...chunk})), {type: 'exited', exitCode});
/** Runs until stopped, then exits 137 as a killed process does. */
const untilStopped: Life = (stop$, job) => concat(of(started(job), running), stop$.pipe(take(1), map((): JobEvent => ({type: 'exited', exitCode: 137}))));
/** The backend cannot run it. */
const fails = (message: string): Life => () => of({type: 'failed', message});

const stderr = (text: string): Output => ({stream: 'stderr', chunk: Buffer.from(text)});

/** A backend running each file as `lives` says, and what it was asked: the files it started, stopped and let go of. */
function backendOf(lives: Record<string, Life>, slots = 3) {
	const asked = {started: [] as string[], stopped: [] as string[], ended: [] as string[]};
	const backend = fakeBackend((stop$, job) => {
		asked.started.push(job.file);
		const stopping$ = stop$.pipe(tap(() => asked.stopped.push(job.file)));
		return lives[job.file]!(stopping$, job).pipe(finalize(() => asked.ended.push(job.file)));
	}, {slots});
	return {backend, asked};
}

async function runWith(lives: Record<string, Life>, extra: Partial<RunOptions> = {}, slots = 3) {
	const {backend, asked} = backendOf(lives, slots);
	const events = await collect(run(options(suite(...Object.keys(lives)), extra), {backend}));
	return {events, asked};
}

test('a run reports run-start, every file once, and run-end with the summary', async () => {
	const {events} = await runWith({
		'a.sh': exits(0),
		'b.sh': exits(1, stderr('boom\n')),
		'c.sh': fails('no such image'),
		'd.sh': untilStopped,
	}, {timeoutSeconds: 0.05});

	assert.deepEqual({...events[0], startedAt: 'x'}, {
		schema: 2, type: 'run-start', runId: 'unit', startedAt: 'x', total: 4, concurrency: 3, image: 'shell', engine: 'fake', command: 'sh {file}', version,
	});
	assert.deepEqual(statusOf(events), {'a.sh': 'passed', 'b.sh': 'failed', 'c.sh': 'error', 'd.sh': 'timed-out'});
	const slots = events.flatMap(event => (event.type === 'test-start' ? [event.slot] : []));
	assert.ok(slots.length === 3 && slots.every(slot => slot !== undefined && slot >= 0 && slot < 3), `each test-start names one of the 3 slots: ${slots.join(', ')}`);
	assert.ok(ends(events).every(event => typeof event.endedAt === 'number'), 'each test-end says when it ended');
	const failed = ends(events).find(event => event.file === 'b.sh')!;
	assert.deepEqual([failed.exitCode, failed.stderr, failed.stdout], [1, 'boom\n', '']);
	assert.equal(ends(events).find(event => event.file === 'c.sh')!.error, 'no such image');
	assert.equal(ends(events).find(event => event.file === 'd.sh')!.exitCode, 137);

	const end = runEnd(events);
	assert.deepEqual(end.summary, {total: 4, passed: 1, flaky: 0, failed: 1, timedOut: 1, errored: 1, cancelled: 0});
	assert.equal(end.exitCode, 1);
	assert.equal(end.testDurationMs, ends(events).reduce((sum, event) => sum + event.durationMs, 0));
});

test('a run where every file passes exits 0', async () => {
	const {events} = await runWith({'a.sh': exits(0), 'b.sh': exits(0)});
	assert.equal(runEnd(events).exitCode, 0);
	assert.deepEqual(events.map(event => event.type), ['run-start', 'test-start', 'test-end', 'test-start', 'test-end', 'run-end']);
});

test('the concurrency defaults to what the backend offers, and is never more than the files', async () => {
	const {events: few} = await runWith({'a.sh': exits(0)});
	assert.equal(few[0]?.type === 'run-start' && few[0].concurrency, 1);
	const {events} = await runWith({'a.sh': exits(0), 'b.sh': exits(0), 'c.sh': exits(0), 'd.sh': exits(0)}, {}, 2);
	assert.equal(events[0]?.type === 'run-start' && events[0].concurrency, 2);
});

test('the tails of a file printing far more than their bound stay bounded', async () => {
	const chunk = Buffer.alloc(1024 * 1024, 'x');
	const {events} = await runWith({'loud.sh': exits(0, ...Array.from({length: 20}, () => ({stream: 'stdout' as const, chunk})))});
	const [end] = ends(events);
	assert.equal(end!.stdoutBytes, 20 * 1024 * 1024);
	assert.equal(end!.stdout.length, tailBytes);
});

test('the first event of a file that started is test-start; its live output comes between start and end', async () => {
	const {events} = await runWith({'a.sh': exits(0, {stream: 'stdout', chunk: Buffer.from('step 1\nstep 2\n')})});
	assert.deepEqual(events.map(event => event.type), ['run-start', 'test-start', 'test-output', 'test-end', 'run-end']);
	assert.deepEqual(events[2], {schema: 2, type: 'test-output', file: 'a.sh', stream: 'stdout', line: 'step 2'});
});

test('a job the backend fails is an error result for its file; the others go on', async () => {
	const {events} = await runWith({'a.sh': fails('exec: "/bin/sh": no such file'), 'b.sh': exits(0)});
	assert.deepEqual(statusOf(events), {'a.sh': 'error', 'b.sh': 'passed'});
	assert.equal(ends(events)[0]!.error, 'exec: "/bin/sh": no such file');
	assert.equal(runEnd(events).exitCode, 1);
});

const waitFor = async (condition: () => boolean) => until(() => condition(), 'the condition', 5000);

test('cancel: stops handing out files, stops what runs, reports all as cancelled, still ends the run', async () => {
	const files = ['1.sh', '2.sh', '3.sh', '4.sh', '5.sh'];
	const {backend, asked} = backendOf(Object.fromEntries(files.map(file => [file, untilStopped])));
	const cancel$ = new Subject<CancelSignal>();
	const events: RunEvent[] = [];
	const done = lastValueFrom(run(options(suite(...files), {concurrency: 2}), {backend, cancel$}).pipe(
		filter(event => {
			events.push(event);
			return event.type === 'run-end';
		}),
		// A failed assertion below must not leave the run (and this file) waiting for ever.
		timeout({first: 5000, with() {
			assert.fail('the run did not end within 5 s');
		}}),
	));
	await waitFor(() => events.filter(event => event.type === 'test-start').length === 2);
	cancel$.next('SIGINT');
	const end = await done;

	assert.deepEqual(statusOf(events), Object.fromEntries(files.map(file => [file, 'cancelled'])));
	assert.deepEqual(asked.started, ['1.sh', '2.sh'], 'no file starts after the cancel');
	assert.deepEqual(asked.stopped.toSorted(), ['1.sh', '2.sh']);
	assert.deepEqual(end.summary, {total: 5, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 5});
	assert.equal(end.exitCode, 130);
	assert.equal(end.signal, 'SIGINT');
});

test('unsubscribing (a forced stop) lets go of every job at once, without stopping them gracefully first', async () => {
	const {backend, asked} = backendOf({'1.sh': untilStopped, '2.sh': untilStopped, '3.sh': () => NEVER});
	const events: RunEvent[] = [];
	const subscription = run(options(suite('1.sh', '2.sh', '3.sh')), {backend}).subscribe(event => events.push(event));
	try {
		await waitFor(() => asked.started.length === 3 && events.filter(event => event.type === 'test-start').length === 2);
	} finally {
		subscription.unsubscribe();
	}

	assert.deepEqual(asked.ended.toSorted(), ['1.sh', '2.sh', '3.sh']);
	assert.deepEqual(asked.stopped, []);
});
