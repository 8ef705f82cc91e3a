import type {Redis} from 'ioredis';
import {Observable} from 'rxjs';
import {BaleenError} from '../errors.js';
import type {TestEnd} from '../events.js';
import type {Timings} from '../plan/shard.js';
import type {QueueAddress} from './address.js';
import {difference, listDigest} from './difference.js';
import {queueKeys, queueTtlSeconds, timingsKey, timingsTtlSeconds} from './keys.js';
import * as scripts from './scripts.js';

/** What a slot gets when it asks for a file: one, a wait for leases held elsewhere to end or their files' results, or nothing left. */
export type Taken = {file: string} | {waitMs: number} | {done: true};

/** What the first job said of the run as it put the files in the queue, for the report. */
export type About = {image: string; command?: string; startedAt: string};

/**
How far the queue is, in counts: what `baleen report --queue` looks at until it is drained. `leased`
leaves out the leases that ran out long enough ago that no job is left to take their files back.
*/
export type QueueProgress = {files: number; pending: number; leased: number; results: number};

/** A lease this long run out has no job left to take its file back: a job's waiting slots ask at least every second. */
const abandonedAfterMs = 3000;

/** Where the queue stands: what `baleen report --queue` reports once it is drained. */
export type QueueState = {
	/** Every file, as the first job put them; empty when the queue has none (expired, or never made). */
	files: string[];
	about?: About;
	pending: number;
	leased: number;
	/** Each file's result, the one that counts. */
	results: Map<string, TestEnd>;
	/** Results written after the one kept: duplicates of a lost lease, a retried job's earlier ones. */
	repeated: TestEnd[];
};

/** One job's hold on a shared queue. Every step is atomic on the server; none of them retries on its own. */
export type Queue = {
	address: QueueAddress;
	job: string;
	/** Each file's last time, from every run of the project that shared a queue on this server. */
	timings(): Promise<Timings>;
	/** Puts the files in the queue unless a job did before; refuses (a `BaleenError`) when that job's files were others. */
	seed(files: readonly string[], about: About): Promise<void>;
	/** The next file, leased to this job; `own` takes that file (a retried job's) instead of the next. */
	take(own?: string): Promise<Taken>;
	/** The lease of a running file lasts on; false when the file is no longer this job's (its lease ran out and another took it). */
	renew(file: string): Promise<boolean>;
	/** The file's result: true when it is the one that counts. `replace`: this job's new attempt replaces the earlier result. */
	finish(end: TestEnd, replace: boolean): Promise<boolean>;
	/** The files an earlier attempt of this job took, and their results as far as they came. */
	own(): Promise<Array<{file: string; result?: TestEnd}>>;
	progress(): Promise<QueueProgress>;
	state(): Promise<QueueState>;
	/** Each file's result written, and each lost lease's file put back, by any job (and once as it starts listening): on a connection of its own, held while subscribed. */
	changes(): Observable<void>;
	/** Lets go of the server at once: called once every step has its answer. */
	close(): void;
};

type Scripted = Redis & Record<keyof typeof scripts, (...args: Array<string | number>) => Promise<unknown>>;

const keyCounts: Record<keyof typeof scripts, number> = {seed: 3, take: 4, renew: 2, finish: 6};

/** How long the first connection may take before the queue is called unreachable. */
const connectTimeoutMs = 5000;

async function connection(address: QueueAddress): Promise<Scripted> {
	// Loaded here: only a run with --queue needs it, and every run's start pays for what it loads (60 ms here).
	const {Redis} = await import('ioredis');
	const client = new Redis({
		host: address.host,
		port: address.port,
		...(address.username !== undefined && {username: address.username}),
		...(address.password !== undefined && {password: address.password}),
		...(address.db !== undefined && {db: address.db}),
		...(address.tls && {tls: {servername: address.host}}),
		lazyConnect: true,
		connectTimeout: connectTimeoutMs,
		// A command waits for a lost server to come back; how long is the caller's bound (--engine-wait).
		maxRetriesPerRequest: null,
		retryStrategy: times => Math.min(100 * times, 1000),
	});
	for (const [name, source] of Object.entries(scripts)) {
		client.defineCommand(name, {numberOfKeys: keyCounts[name as keyof typeof scripts], lua: source});
	}

	return client as Scripted;
}

const parsed = (text: string) => JSON.parse(text) as TestEnd;

/**
Connects to the queue's server as `job`: a `BaleenError` naming the URL (its password hidden) when the
server cannot be reached or refuses the credentials, so that a job stops before any file runs.
*/
export async function openQueue(address: QueueAddress, {job, leaseMs, project}: {job: string; leaseMs: number; project: string}): Promise<Queue> {
	const client = await connection(address);
	// A server gone mid-run is waited for by each command; what ioredis says meanwhile is nobody's to see.
	let lastError: Error | undefined;
	client.on('error', (error: Error) => {
		lastError = error;
	});
	try {
		await client.connect();
		await client.ping();
	} catch (error) {
		client.disconnect();
		const why = (lastError ?? error as Error).message.replaceAll(address.password ?? '\u0000', '***');
		throw new BaleenError(`cannot reach the queue at ${address.shown}: ${why}`);
	}

	const keys = queueKeys(address.name);
	const timings = timingsKey(project);
	const ttl = queueTtlSeconds;
	return {
		address,
		job,
		async timings() {
			const recorded = await client.hgetall(timings);
			return Object.fromEntries(Object.entries(recorded).map(([file, ms]) => [file, Number(ms)]).filter(([, ms]) => Number.isFinite(ms)));
		},
		async seed(files, about) {
			const digest = listDigest(files);
			const queued = await client.seed(keys.meta, keys.files, keys.pending, ttl, digest, JSON.stringify(about), ...files) as string;
			if (queued !== digest) {
				const theirs = await client.lrange(keys.files, 0, -1);
				throw new BaleenError(`the queue ${address.shown} holds other files than this job found (another commit?): ${difference(files, theirs)}`);
			}
		},
		async take(own = '') {
			const [kind, value] = await client.take(keys.pending, keys.leases, keys.owners, keys.results, ttl, job, leaseMs, own, keys.changes) as [string, string?];
			return kind === 'file' ? {file: value!} : (kind === 'wait' ? {waitMs: Math.max(0, Number(value))} : {done: true});
		},
		async renew(file) {
			return await client.renew(keys.leases, keys.owners, ttl, job, leaseMs, file) === 1;
		},
		async finish(end, replace) {
			const kept = await client.finish(keys.pending, keys.leases, keys.owners, keys.results, keys.repeated, timings, ttl, job, end.file, JSON.stringify(end), Math.round(end.durationMs), replace ? '1' : '0', timingsTtlSeconds, keys.changes);
			return kept === 1;
		},
		async own() {
			const [owners, results] = await Promise.all([client.hgetall(keys.owners), client.hgetall(keys.results)]);
			return Object.entries(owners).filter(([, owner]) => owner === job).map(([file]) => ({file, ...(results[file] !== undefined && {result: parsed(results[file])})}));
		},
		async progress() {
			const [seconds, micros] = await client.time();
			const abandoned = (Number(seconds) * 1000) + Math.floor(Number(micros) / 1000) - abandonedAfterMs;
			const [files, pending, leased, results] = await Promise.all([client.llen(keys.files), client.llen(keys.pending), client.zcount(keys.leases, abandoned, '+inf'), client.hlen(keys.results)]);
			return {files, pending, leased, results};
		},
		async state() {
			const [files, about, pending, leased, results, repeated] = await Promise.all([
				client.lrange(keys.files, 0, -1), client.hget(keys.meta, 'about'), client.llen(keys.pending), client.zcard(keys.leases), client.hgetall(keys.results), client.lrange(keys.repeated, 0, -1),
			]);
			return {files, ...(about !== null && {about: JSON.parse(about) as About}), pending, leased, results: new Map(Object.entries(results).map(([file, text]) => [file, parsed(text)])), repeated: repeated.map(text => parsed(text))};
		},
		changes() {
			return new Observable<void>(subscriber => {
				const listener = client.duplicate();
				// Missed messages are made up for by polling (see runQueued); what the listener says of its connection is nobody's to see.
				listener.on('error', () => undefined);
				listener.on('message', () => {
					subscriber.next();
				});
				// Once listening, a change may have come before: told as one, so that a slot waiting asks again.
				listener.subscribe(keys.changes, error => {
					if (!error) {
						subscriber.next();
					}
				});
				return () => {
					listener.disconnect();
				};
			});
		},
		close() {
			client.disconnect();
		},
	};
}
