import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {VirtualTimeScheduler} from 'rxjs';
import {queueAddress} from '../../source/queue/address.js';
import {openQueue, type Queue} from '../../source/queue/queue.js';
import {drainedState, queueRunEvents} from '../../source/queue/run-events.js';
import {schemaVersion, type TestEnd} from '../../source/events.js';
import {freePort, startRedis, type RedisServer} from '../helpers/redis.js';

let redis: RedisServer;
const opened: Queue[] = [];
let names = 0;

before(async () => {
	redis = await startRedis(['--requirepass', 's3cret']);
});

after(async () => {
	for (const queue of opened) {
		queue.close();
	}

	await redis.stop();
});

/** A job on a queue of its own (a fresh NAME per test unless given). */
async function job(name: string, id: string, leaseMs = 15_000): Promise<Queue> {
	const queue = await openQueue(queueAddress(`redis://:s3cret@127.0.0.1:${redis.port}/${name}`), {job: id, leaseMs, project: name});
	opened.push(queue);
	return queue;
}

const about = {image: 'img', startedAt: new Date(0).toISOString()};

const fresh = () => `q${++names}`;

const ended = (file: string, status: TestEnd['status'] = 'passed', durationMs = 100): TestEnd => ({
	schema: schemaVersion, type: 'test-end', file, status, exitCode: status === 'passed' ? 0 : 1, durationMs, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, attempts: 1,
} as TestEnd);

test('the first job puts the files; every job takes the next in their order, then there is nothing left', async () => {
	const name = fresh();
	const [a, b] = [await job(name, 'a'), await job(name, 'b')];
	await a.seed(['long.sh', 'mid.sh', 'short.sh'], about);
	await b.seed(['short.sh', 'long.sh', 'mid.sh'], about);
	assert.deepEqual(await a.take(), {file: 'long.sh'});
	assert.deepEqual(await b.take(), {file: 'mid.sh'});
	assert.deepEqual(await b.take(), {file: 'short.sh'});
	const waiting = await a.take();
	assert.ok('waitMs' in waiting && waiting.waitMs > 0 && waiting.waitMs <= 15_000, JSON.stringify(waiting));
	for (const [queue, file] of [[a, 'long.sh'], [b, 'mid.sh'], [b, 'short.sh']] as const) {
		assert.equal(await queue.finish(ended(file), false), true);
	}

	assert.deepEqual(await a.take(), {done: true});
	const state = await a.state();
	assert.deepEqual([state.pending, state.leased, state.results.size, state.repeated.length], [0, 0, 3, 0]);
});

test('a job with other files is refused, the difference named', async () => {
	const name = fresh();
	await (await job(name, 'a')).seed(['a.sh', 'b.sh', 'c.sh'], about);
	await assert.rejects((await job(name, 'b')).seed(['a.sh', 'b.sh', 'd.sh', 'e.sh'], about), {
		name: 'BaleenError',
		message: new RegExp(`the queue redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/${name} holds other files than this job found \\(another commit\\?\\): 2 files only here: d\\.sh, e\\.sh; 1 file only in the queue: c\\.sh$`),
	});
});

test('a lost job\'s lease runs out and another job takes its file first; the first result wins, a late one is a repeated attempt', async () => {
	const name = fresh();
	const [lost, other] = [await job(name, 'lost', 200), await job(name, 'other', 200)];
	await lost.seed(['a.sh', 'b.sh'], about);
	assert.deepEqual(await lost.take(), {file: 'a.sh'});
	assert.deepEqual(await other.take(), {file: 'b.sh'});
	assert.equal(await other.renew('b.sh'), true);
	// Polls as a slot does: a wait, until the lease has run out.
	let taken = await other.take();
	while ('waitMs' in taken) {
		const {waitMs} = taken;
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, waitMs + 1));
		// eslint-disable-next-line no-await-in-loop
		taken = await other.take();
	}

	assert.deepEqual(taken, {file: 'a.sh'});
	assert.equal(await lost.renew('a.sh'), false, 'the lease is the other job\'s now');
	assert.equal(await other.finish(ended('a.sh'), false), true);
	assert.equal(await lost.finish(ended('a.sh', 'failed'), false), false);
	const state = await other.state();
	assert.equal(state.results.get('a.sh')?.status, 'passed');
	assert.deepEqual(state.repeated.map(end => [end.file, end.status]), [['a.sh', 'failed']]);
});

test('the same result written twice (a call resent after a reconnect) is not a repeated attempt', async () => {
	const name = fresh();
	const a = await job(name, 'a');
	await a.seed(['a.sh'], about);
	await a.take();
	const end = ended('a.sh');
	assert.equal(await a.finish(end, false), true);
	assert.equal(await a.finish(end, false), true);
	assert.equal((await a.state()).repeated.length, 0);
});

test('a retried job finds its own files and their results, and its new result replaces the earlier one', async () => {
	const name = fresh();
	const [a, b] = [await job(name, 'a'), await job(name, 'b')];
	await a.seed(['1.sh', '2.sh', '3.sh'], about);
	await a.take();
	await b.take();
	await a.take();
	await a.finish(ended('1.sh', 'failed'), false);
	await a.finish(ended('3.sh'), false);
	await b.finish(ended('2.sh'), false);
	const retried = await job(name, 'a');
	assert.deepEqual((await retried.own()).map(({file, result}) => [file, result?.status]).sort(), [['1.sh', 'failed'], ['3.sh', 'passed']]);
	assert.deepEqual(await retried.take('1.sh'), {file: '1.sh'});
	assert.equal(await retried.finish(ended('1.sh'), true), true);
	const state = await retried.state();
	assert.equal(state.results.get('1.sh')?.status, 'passed');
	assert.deepEqual(state.repeated.map(end => end.status), ['failed']);
	assert.equal(state.leased, 0);
});

test('each file\'s time is kept for the project\'s next run, in another queue', async () => {
	const name = fresh();
	const a = await job(name, 'a');
	await a.seed(['a.sh', 'b.sh'], about);
	await a.take();
	await a.take();
	await a.finish(ended('a.sh', 'passed', 1234), false);
	await a.finish(ended('b.sh', 'passed', 56), false);
	const next = await openQueue(queueAddress(`redis://:s3cret@127.0.0.1:${redis.port}/${name}-next`), {job: 'x', leaseMs: 1000, project: name});
	opened.push(next);
	assert.deepEqual(await next.timings(), {'a.sh': 1234, 'b.sh': 56});
});

test('every key of a queue expires', async () => {
	const name = fresh();
	const a = await job(name, 'a');
	await a.seed(['a.sh', 'b.sh'], about);
	await a.take();
	await a.finish(ended('a.sh', 'failed'), false);
	await a.finish(ended('a.sh'), false);
	const {Redis} = await import('ioredis');
	const client = new Redis({port: redis.port, host: '127.0.0.1', password: 's3cret'});
	try {
		const keys = await client.keys(`baleen:*{${name}}*`);
		assert.ok(keys.length >= 6, keys.join(' '));
		for (const key of keys) {
			// eslint-disable-next-line no-await-in-loop
			const ttl = await client.ttl(key);
			assert.ok(ttl > 0, `${key} expires (ttl ${ttl})`);
		}
	} finally {
		client.disconnect();
	}
});

test('a wrong password or a port nobody listens on: a BaleenError with the URL, its password hidden', async () => {
	await assert.rejects(openQueue(queueAddress(`redis://:wrong@127.0.0.1:${redis.port}/x`), {job: 'a', leaseMs: 1000, project: 'x'}), (error: Error) => {
		assert.equal(error.name, 'BaleenError');
		assert.match(error.message, new RegExp(`^cannot reach the queue at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/x: .*(WRONGPASS|invalid)`));
		assert.doesNotMatch(error.message, /wrong/);
		return true;
	});
	const port = await freePort();
	await assert.rejects(openQueue(queueAddress(`rediss://me:hush@127.0.0.1:${port}/x`), {job: 'a', leaseMs: 1000, project: 'x'}), (error: Error) => {
		assert.equal(error.name, 'BaleenError');
		assert.match(error.message, new RegExp(`^cannot reach the queue at rediss://me:\\*\\*\\*@127\\.0\\.0\\.1:${port}/x: .*ECONNREFUSED`));
		assert.doesNotMatch(error.message, /hush/);
		return true;
	});
});

test('a URL that is not a queue\'s is refused in words, its password hidden', () => {
	for (const [given, why] of [
		['http://u:pw@host:1/x', /--queue http:\/\/u:\*\*\*@host:1\/x: not a redis URL \(http:\/\/\), expected redis:/],
		['redis://u:pw@host:1', /--queue redis:\/\/u:\*\*\*@host:1: no queue NAME after the host/],
		['redis://u:pw@host:1/a b', /the NAME "a b" may hold only/],
		['not a url pw', /not a URL/],
	] as const) {
		assert.throws(() => queueAddress(given), (error: Error) => error.name === 'BaleenError' && why.test(error.message) && !error.message.includes('pw@'), given);
	}

	assert.deepEqual(queueAddress('rediss://me:p%40ss@cache.example:6380/run-42?db=2'), {
		host: 'cache.example', port: 6380, tls: true, username: 'me', password: 'p@ss', db: 2, name: 'run-42', shown: 'rediss://me:***@cache.example:6380/run-42',
	});
});

test('a job listening to the queue hears of every result written, from any job, and of a lost lease\'s file put back', async () => {
	const name = fresh();
	const [a, b] = [await job(name, 'a', 200), await job(name, 'b', 200)];
	await a.seed(['a.sh', 'b.sh'], about);
	const heard: number[] = [];
	let listening: () => void = () => undefined;
	const counted = new Promise<void>(resolve => {
		listening = resolve;
	});
	const waiters: Array<{count: number; resolve: () => void}> = [];
	const subscription = b.changes().subscribe(() => {
		heard.push(heard.length + 1);
		listening();
		for (const waiter of waiters.filter(({count}) => heard.length >= count)) {
			waiter.resolve();
		}
	});
	const until = async (count: number) => new Promise<void>(resolve => {
		if (heard.length >= count) {
			resolve();
		} else {
			waiters.push({count, resolve});
		}
	});
	try {
		await counted;
		assert.deepEqual(await a.take(), {file: 'a.sh'});
		await a.finish(ended('a.sh'), false);
		await until(2);
		assert.deepEqual(await a.take(), {file: 'b.sh'});
		// a is lost: once its lease ran out, b's take puts the file back and takes it, and the channel tells of it.
		const taken = await b.take();
		assert.ok('waitMs' in taken, JSON.stringify(taken));
		await new Promise(resolve => {
			setTimeout(resolve, taken.waitMs + 1);
		});
		assert.deepEqual(await b.take(), {file: 'b.sh'});
		await until(3);
	} finally {
		subscription.unsubscribe();
	}
});

test('report --queue waits until the queue is drained, woken by the last result, then tells each file once; a queue not drained in time is told in counts', async () => {
	const name = fresh();
	const [a, reader] = [await job(name, 'a'), await job(name, 'report')];
	await a.seed(['a.sh', 'b.sh'], about);
	await a.take();
	await a.take();
	await a.finish(ended('a.sh', 'failed'), false);
	await a.finish(ended('a.sh', 'passed', 5), false);
	await assert.rejects(drainedState(reader, 300), {
		name: 'BaleenError',
		message: new RegExp(`^the queue redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/${name} is not drained after 0\\.3 s: 0 files pending, 1 running, 1 of 2 with a result$`),
	});

	// On a clock that never moves, no poll ever comes: the result written is what wakes it.
	const waited = drainedState(reader, 60_000, new VirtualTimeScheduler());
	await a.finish(ended('b.sh'), false);
	const events = queueRunEvents(await waited, name, reader.address.shown);
	assert.deepEqual(events.map(event => event.type), ['run-start', 'test-end', 'test-end', 'run-end']);
	assert.deepEqual(events.filter(event => event.type === 'test-end').map(event => [event.file, event.status]), [['a.sh', 'failed'], ['b.sh', 'passed']]);
	const [start, end] = [events[0], events.at(-1)];
	assert.ok(start?.type === 'run-start' && start.image === 'img' && start.notes?.some(note => /1 more results came after the one that counts/.test(note)), JSON.stringify(start));
	assert.ok(end?.type === 'run-end' && end.exitCode === 1 && end.summary.failed === 1 && end.summary.passed === 1, JSON.stringify(end));

	await assert.rejects(drainedState(await job(fresh(), 'report'), 100), {message: /holds no files: no job put them there, or they expired$/});
});

test('a file whose job was lost with no other job left to take it back: report --queue ends all the same, the file without a result an error', async () => {
	const name = fresh();
	const [lost, reader] = [await job(name, 'lost', 200), await job(name, 'report')];
	await lost.seed(['a.sh', 'b.sh'], about);
	await lost.take();
	await lost.take();
	await lost.finish(ended('a.sh'), false);
	const events = queueRunEvents(await drainedState(reader, 60_000), name, reader.address.shown);
	const ends = events.filter(event => event.type === 'test-end');
	assert.deepEqual(ends.map(end => [end.file, end.status]), [['a.sh', 'passed'], ['b.sh', 'error']]);
	assert.match(ends[1]!.error ?? '', /no job of the queue wrote its result/);
	assert.ok(events[0]?.type === 'run-start' && events[0].notes?.some(note => note === '1 files have no result in the queue'));
	const end = events.at(-1);
	assert.ok(end?.type === 'run-end' && end.exitCode === 1 && end.summary.errored === 1, JSON.stringify(end));
});
