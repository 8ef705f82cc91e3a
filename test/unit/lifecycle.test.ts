import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	NEVER, concat, map, of, take, throwError, timer, ignoreElements, type Observable,
} from 'rxjs';
import {TestScheduler} from 'rxjs/testing';
import type {Backend, Job, JobEvent} from '../../source/backends/backend.js';
import {schemaVersion, type RunEvent, type TestResult} from '../../source/events.js';
import {runJob, staleImageHint} from '../../source/run/lifecycle.js';

const job: Job = {file: 'a.sh', spec: {image: 'shell', cmd: ['true'], env: [], binds: [], labels: {}}, timeoutMs: 10};

/** A backend whose every job is what `life` makes of the stop signal. */
function fakeBackend(life: (stop$: Observable<unknown>) => Observable<JobEvent>): Backend {
	return {
		name: 'fake',
		prepare: async () => ({slots: 1, notes: []}),
		run: (_job, stop$) => life(stop$),
		sweep: async () => 0,
		close: async () => undefined,
	};
}

const started: JobEvent = {type: 'started', id: 'c1', at: 0};
const exited = (exitCode: number, fileMissing?: boolean): JobEvent => ({type: 'exited', exitCode, ...(fileMissing && {fileMissing})});
/** Runs until stopped, then exits 137; removal takes two frames. */
const untilStopped = (stop$: Observable<unknown>) => concat(of(started), stop$.pipe(take(1), map(() => exited(137))), timer(2).pipe(ignoreElements()));

const testStart: RunEvent = {schema: schemaVersion, type: 'test-start', file: 'a.sh', containerId: 'c1', at: 0, attempt: 1, maxAttempts: 1};
const testEnd = (result: Partial<TestResult>): RunEvent => ({
	schema: schemaVersion, type: 'test-end', file: 'a.sh', status: 'passed', exitCode: 0, durationMs: 0, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, containerId: 'c1', attempts: 1, ...result,
});
/** The end of a job that never started: no container to name. */
const unstartedEnd = (result: Partial<TestResult>): RunEvent => {
	const {containerId, ...end} = testEnd(result) as TestResult;
	return end as RunEvent;
};

function scheduler() {
	return new TestScheduler((actual, expected) => {
		assert.deepEqual(actual, expected);
	});
}

test('a job that exits: test-start, test-end as soon as it exits, completion once its container is removed', () => {
	const testScheduler = scheduler();
	testScheduler.run(({cold, expectObservable}) => {
		const backend = fakeBackend(() => cold<JobEvent>('s--e--|', {s: started, e: exited(0)}));
		expectObservable(runJob(job, backend, NEVER, testScheduler)).toBe('s--e--|', {s: testStart, e: testEnd({durationMs: 3})});
	});
});

test('the timeout runs from test-start, in virtual time; the stop reaches the backend', () => {
	const testScheduler = scheduler();
	testScheduler.run(({cold, expectObservable}) => {
		const backend = fakeBackend(stop$ => concat(cold<never>('---|'), untilStopped(stop$)));
		// Started at 3, timed out 10 frames later, removed 2 frames after that.
		expectObservable(runJob(job, backend, NEVER, testScheduler)).toBe('---s 9ms e-|', {
			s: testStart, e: testEnd({status: 'timed-out', exitCode: 137, durationMs: 13}),
		});
	});
});

test('a cancel stops a running job as cancelled, and no timeout fires after it', () => {
	const testScheduler = scheduler();
	testScheduler.run(({hot, expectObservable}) => {
		const backend = fakeBackend(untilStopped);
		expectObservable(runJob(job, backend, hot('--x'), testScheduler)).toBe('s-e-|', {
			s: testStart, e: testEnd({status: 'cancelled', exitCode: 137, durationMs: 2}),
		});
	});
});

test('cancelled before its turn: the backend is told at once, no test-start, one test-end', () => {
	const testScheduler = scheduler();
	const told: string[] = [];
	testScheduler.run(({cold, expectObservable}) => {
		const backend = fakeBackend(stop$ => {
			stop$.subscribe(() => told.push('stop'));
			return cold<JobEvent>('|');
		});
		expectObservable(runJob(job, backend, of('SIGINT'), testScheduler)).toBe('(e|)', {
			e: unstartedEnd({status: 'cancelled', exitCode: null}),
		});
	});
	assert.deepEqual(told, ['stop']);
});

test('a backend failure, told or thrown, is an error result, never an error of the stream', () => {
	const testScheduler = scheduler();
	testScheduler.run(({cold, expectObservable}) => {
		const told = fakeBackend(() => cold<JobEvent>('s-f|', {s: started, f: {type: 'failed', message: 'exec: no such file'}}));
		expectObservable(runJob(job, told, NEVER, testScheduler)).toBe('s-e|', {
			s: testStart, e: testEnd({status: 'error', exitCode: null, durationMs: 2, error: 'exec: no such file'}),
		});
		const thrown = fakeBackend(() => throwError(() => new Error('socket hang up')));
		expectObservable(runJob(job, thrown, NEVER, testScheduler)).toBe('(e|)', {
			e: unstartedEnd({status: 'error', exitCode: null, error: 'socket hang up'}),
		});
	});
});

test('output: kept in the tails, live lines throttled and never after test-end', () => {
	const testScheduler = scheduler();
	const out = (text: string): JobEvent => ({type: 'output', stream: 'stdout', chunk: Buffer.from(text)});
	testScheduler.run(({cold, expectObservable}) => {
		// Lines at 1, 2, 3 and 154; the end at 155.
		const backend = fakeBackend(() => cold<JobEvent>('sabc 150ms de|', {
			s: started, a: out('one\n'), b: out('two\n'), c: out('three\n'), d: out('four\n'), e: exited(0),
		}));
		const line = (text: string): RunEvent => ({schema: schemaVersion, type: 'test-output', file: 'a.sh', stream: 'stdout', line: text});
		expectObservable(runJob({...job, timeoutMs: 1000}, backend, NEVER, testScheduler)).toBe('sa 99ms c 53ms e|', {
			s: testStart,
			a: line('one'),
			c: line('three'),
			// "four" waits for the end of a throttle window that the end of the file cuts short.
			e: testEnd({stdout: 'one\ntwo\nthree\nfour\n', stdoutBytes: 19, durationMs: 155}),
		});
	});
});

test('a fast failure of a file the container lacks carries the stale-image hint; a pass never does', () => {
	const testScheduler = scheduler();
	testScheduler.run(({cold, expectObservable}) => {
		const missing = fakeBackend(() => cold<JobEvent>('s(e|)', {s: started, e: exited(127, true)}));
		expectObservable(runJob(job, missing, NEVER, testScheduler)).toBe('s(e|)', {
			s: testStart, e: testEnd({status: 'failed', exitCode: 127, durationMs: 1, hint: staleImageHint}),
		});
		const found = fakeBackend(() => cold<JobEvent>('s(e|)', {s: started, e: exited(127)}));
		expectObservable(runJob(job, found, NEVER, testScheduler)).toBe('s(e|)', {
			s: testStart, e: testEnd({status: 'failed', exitCode: 127, durationMs: 1}),
		});
	});
});
