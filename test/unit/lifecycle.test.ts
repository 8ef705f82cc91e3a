import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {
	NEVER, concat, filter, lastValueFrom, map, of, take, throwError, timer, ignoreElements, toArray, type Observable,
} from 'rxjs';
import type {Job, JobEvent} from '../../source/backends/backend.js';
import {schemaVersion, type RunEvent, type TestResult} from '../../source/events.js';
import {runJob, staleImageHint} from '../../source/run/lifecycle.js';
import {newTails} from '../../source/run/tail.js';
import {fakeBackend} from '../helpers/fake-backend.js';
import {testEnd as fileEnd} from '../helpers/fixtures.js';
import {folder} from '../helpers/folder.js';
import {testScheduler as scheduler} from '../helpers/scheduler.js';

const job: Job = {file: 'a.sh', spec: {image: 'shell', cmd: ['true'], env: [], binds: [], labels: {}}, timeoutMs: 10};

const started: JobEvent = {type: 'started', id: 'c1', at: 0};
const running: JobEvent = {type: 'running'};
const exited = (exitCode: number, fileMissing?: boolean): JobEvent => ({type: 'exited', exitCode, ...(fileMissing && {fileMissing})});
/** Runs until stopped, then exits 137; removal takes two frames. */
const untilStopped = (stop$: Observable<unknown>) => concat(of(started, running), stop$.pipe(take(1), map(() => exited(137))), timer(2).pipe(ignoreElements()));

const testStart: RunEvent = {schema: schemaVersion, type: 'test-start', file: 'a.sh', containerId: 'c1', at: 0, attempt: 1, maxAttempts: 1};
const testEnd = (result: Partial<TestResult>): RunEvent => fileEnd('a.sh', 'passed', 0, {containerId: 'c1', ...result});
/** The end of a job that never started: no container to name. */
const unstartedEnd = (result: Partial<TestResult>): RunEvent => {
	const {containerId, ...end} = testEnd(result) as TestResult;
	return end as RunEvent;
};

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

test('the timeout runs from when the engine says the process runs, not from test-start: a slow start is not the file\'s time', () => {
	const testScheduler = scheduler();
	testScheduler.run(({expectObservable}) => {
		// The engine takes 3 frames to answer the start.
		const backend = fakeBackend(stop$ => concat(
			of(started), timer(3).pipe(map(() => running)), stop$.pipe(take(1), map(() => exited(137))), timer(2).pipe(ignoreElements()),
		));
		expectObservable(runJob(job, backend, NEVER, testScheduler)).toBe('s 12ms e-|', {
			s: testStart, e: testEnd({status: 'timed-out', exitCode: 137, durationMs: 13}),
		});
	});
});

test('a backend that exits at the stop and has nothing to remove keeps the exit code it told', () => {
	const testScheduler = scheduler();
	testScheduler.run(({expectObservable}) => {
		const backend = fakeBackend(stop$ => concat(of(started, running), stop$.pipe(take(1), map(() => exited(137)))));
		expectObservable(runJob(job, backend, NEVER, testScheduler)).toBe('s 9ms (e|)', {
			s: testStart, e: testEnd({status: 'timed-out', exitCode: 137, durationMs: 10}),
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

test('what the backend copied out: the framework\'s tests counted, artifacts that could not be copied named; the whole output and the report on disk', async () => {
	const outputFolder = path.join(folder(), 'files', 'a.sh');
	const backend = fakeBackend(() => of<JobEvent[]>(
		started,
		{type: 'output', stream: 'stdout', chunk: Buffer.from('one\n')},
		{type: 'output', stream: 'stderr', chunk: Buffer.from('warn\n')},
		{type: 'output', stream: 'stdout', chunk: Buffer.from('two\n')},
		{type: 'exited', exitCode: 1, copied: {
			results: {path: '/tmp/r.xml', text: '<testsuite><testcase name="a"/><testcase name="b"><failure message="no"/></testcase></testsuite>'},
			artifacts: [{path: '/tmp/shots'}, {path: '/nope', problem: 'no such file or folder in the container: /nope'}],
		}},
	));
	const events = await lastValueFrom(runJob(job, backend, NEVER, undefined, {attempt: 1, maxAttempts: 1, outputFolder}).pipe(toArray()));
	const end = events.find(event => event.type === 'test-end') as TestResult;
	assert.deepEqual(end.tests, {total: 2, passed: 1, failed: 1, skipped: 0});
	assert.deepEqual(end.testcases?.map(({name, status, message}) => [name, status, message]), [['a', 'passed', undefined], ['b', 'failed', 'no']]);
	assert.deepEqual(end.artifactErrors, ['no such file or folder in the container: /nope']);
	assert.equal(end.outputFolder, outputFolder);
	assert.equal(readFileSync(path.join(outputFolder, 'stdout.log'), 'utf8'), 'one\ntwo\n');
	assert.equal(readFileSync(path.join(outputFolder, 'stderr.log'), 'utf8'), 'warn\n');
	assert.match(readFileSync(path.join(outputFolder, 'results.xml'), 'utf8'), /<testcase name="b">/);

	const missing = fakeBackend(() => of<JobEvent[]>(started, {type: 'exited', exitCode: 0, copied: {results: {path: '/tmp/r.xml', problem: 'no such file'}}}));
	const [, missingEnd] = await lastValueFrom(runJob(job, missing, NEVER).pipe(toArray())) as [unknown, TestResult];
	assert.deepEqual([missingEnd.status, missingEnd.resultsError, missingEnd.tests, missingEnd.outputFolder], ['passed', 'no such file', undefined, undefined]);

	const neverStarted = path.join(folder(), 'files', 'b.sh');
	const failing = fakeBackend(() => of<JobEvent[]>({type: 'failed', message: 'no such image'}));
	const [failedEnd] = await lastValueFrom(runJob(job, failing, NEVER, undefined, {attempt: 1, maxAttempts: 1, outputFolder: neverStarted}).pipe(toArray())) as unknown as [TestResult];
	assert.deepEqual([failedEnd.status, failedEnd.outputFolder, existsSync(neverStarted)], ['error', undefined, false], 'a file that never started gets no folder');
});

test('the report is read in the format the run names, and kept under that format\'s name', async () => {
	const outputFolder = path.join(folder(), 'files', 'shop');
	const stream = '{"Action":"run","Package":"shop","Test":"TestCart"}\n{"Action":"fail","Package":"shop","Test":"TestCart","Elapsed":0.5}\n{"Action":"skip","Package":"shop","Test":"TestStock"}\n';
	const backend = fakeBackend(() => of<JobEvent[]>(started, {type: 'exited', exitCode: 1, copied: {results: {path: '/tmp/go.jsonl', text: stream}}}));
	const [, end] = await lastValueFrom(runJob(job, backend, NEVER, undefined, {attempt: 1, maxAttempts: 1, outputFolder, resultsFormat: 'go-json'}).pipe(toArray())) as [unknown, TestResult];
	assert.deepEqual(end.tests, {total: 2, passed: 0, failed: 1, skipped: 1});
	assert.deepEqual(end.testcases?.map(({name, timeMs}) => [name, timeMs]), [['TestCart', 500], ['TestStock', undefined]]);
	assert.equal(readFileSync(path.join(outputFolder, 'results.go.jsonl'), 'utf8'), stream);

	// The same report read as JUnit, when the run names no format: why it could not be read.
	const [, asJunit] = await lastValueFrom(runJob(job, backend, NEVER).pipe(toArray())) as [unknown, TestResult];
	assert.match(asJunit.resultsError!, /^\/tmp\/go\.jsonl is not/);
});

test('tails taken over from a slot start empty, and what comes after the end does not reach them', () => {
	const testScheduler = scheduler();
	const kept = newTails(1024);
	kept.stdout.write(Buffer.from('the slot\'s last file\n'));
	const out = (text: string): JobEvent => ({type: 'output', stream: 'stdout', chunk: Buffer.from(text)});
	testScheduler.run(({cold, expectObservable}) => {
		// A failure ends the job while its output still flows, until the container is gone.
		const backend = fakeBackend(() => cold<JobEvent>('so-fl|', {s: started, o: out('mine\n'), f: {type: 'failed', message: 'lost'}, l: out('late\n')}));
		expectObservable(runJob(job, backend, NEVER, testScheduler, undefined, kept).pipe(filter(event => event.type === 'test-end'))).toBe('---e-|', {
			e: testEnd({status: 'error', exitCode: null, durationMs: 3, error: 'lost', stdout: 'mine\n', stdoutBytes: 5}),
		});
	});
	assert.equal(kept.stdout.toString(), 'mine\n', 'the next file of the slot takes them over as they were at the end');
});

test('what the container wrote of itself behind the run\'s marker: its resources, taken off the stderr shown, counted and kept, wherever the chunks cut it', async () => {
	const marker = 'baleen-resources-0123456789abcdef';
	const block = `\n${marker}\nmemory.peak 125829120\npids.peak 21\ncpu.stat.usage_usec 1012345\n${marker}\n`;
	const own = 'oops\nno newline';
	const whole = own + block;
	for (const cut of [0, own.length, own.length + 3, whole.length - 5]) {
		const outputFolder = path.join(folder(), 'files', 'a.sh');
		const err = (text: string): JobEvent => ({type: 'output', stream: 'stderr', chunk: Buffer.from(text)});
		const backend = fakeBackend(() => of<JobEvent[]>(started, err(whole.slice(0, cut)), err(whole.slice(cut)), exited(0)));
		const events = await lastValueFrom(runJob({...job, marker}, backend, NEVER, undefined, {attempt: 1, maxAttempts: 1, outputFolder}).pipe(toArray()));
		const end = events.find(event => event.type === 'test-end') as TestResult;
		assert.deepEqual([end.stderr, end.stderrBytes, end.resources], [own, own.length, {memoryPeakBytes: 125_829_120, cpuMs: 1012, pidsPeak: 21}], `cut at ${cut}`);
		assert.equal(readFileSync(path.join(outputFolder, 'stderr.log'), 'utf8'), own);
		assert.deepEqual(JSON.parse(readFileSync(path.join(outputFolder, 'resources.json'), 'utf8')), end.resources);
		assert.ok(events.every(event => event.type !== 'test-output' || !event.line.includes(marker)), 'the marker is never a live line');
	}

	// Killed before it wrote them, or another run's marker: no resources, the stderr as it came.
	for (const [text, marked] of [[own, marker], [whole, 'baleen-resources-fedcba9876543210'], [`${whole}late\n`, marker]] as const) {
		const backend = fakeBackend(() => of<JobEvent[]>(started, {type: 'output', stream: 'stderr', chunk: Buffer.from(text)}, exited(137)));
		const end = await lastValueFrom(runJob({...job, marker: marked}, backend, NEVER).pipe(filter(event => event.type === 'test-end'))) as TestResult;
		assert.deepEqual([end.stderr, end.stderrBytes, end.resources], [text, text.length, undefined]);
	}
});
