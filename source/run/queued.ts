import {
	EMPTY, NEVER, Observable, ReplaySubject, Subject, Subscription, catchError, combineLatest, concat, concatMap, connectable, defer, exhaustMap, filter, finalize, first,
	ignoreElements, interval, map, merge, mergeMap, of, race, scan, startWith, take, throwError, timeout, timer, type MonoTypeOperatorFunction, type SchedulerLike,
} from 'rxjs';
import {BaleenError} from '../errors.js';
import {isFailure, type RunEvent, type TestEnd} from '../events.js';
import {openQueue, type Queue} from '../queue/queue.js';
import {isRetry, jobIdentity} from '../options/settings/queue.js';
import type {ResolvedOptions} from '../options/types.js';
import type {Timings} from '../plan/shard.js';
import {alongside} from '../rx/alongside.js';
import type {Turn} from './attempts.js';
import {halting} from './halting.js';
import {runFiles, type Handing} from './run.js';

/** A job's part in a shared queue. */
export type QueueRun = {
	queue: Queue;
	/** The files an earlier attempt of this job ran, run again first (a retried job): their results replace the earlier ones. */
	own: readonly string[];
	leaseMs: number;
	/** How long a step waits for a server gone away (its commands held meanwhile) before the run fails. */
	boundMs: number;
	scheduler: SchedulerLike;
};

/** The queue a job joined before planning: connected, the shared timings read. */
export type Joined = {queue: Queue; timings: Timings};

/**
`body` with the run's queue, when it has one, for as long as `body` runs: connected on subscription (a
`BaleenError` with the URL when it cannot be), let go of on teardown, whichever way `body` ends.
*/
export function inQueue<T>(options: ResolvedOptions, body: (joined: Joined | undefined) => Observable<T>, environment: NodeJS.ProcessEnv = process.env): Observable<T> {
	const {queue: address} = options;
	if (!address) {
		return body(undefined);
	}

	return new Observable<T>(subscriber => {
		// Closed already when the connection comes after an unsubscription: then each teardown added runs at once.
		const lifetime = new Subscription();
		openQueue(address, {job: jobIdentity(options.queueJob, environment), leaseMs: options.queueLeaseSeconds * 1000, project: options.history.project})
			.then(async queue => {
				lifetime.add(() => {
					queue.close();
				});
				const timings = await queue.timings();
				lifetime.add(body({queue, timings}).subscribe(subscriber));
			})
			.catch((error: unknown) => {
				subscriber.error(error);
			});
		return lifetime;
	});
}

/**
Puts the planned files in the queue (or checks them against the queue's), and what this job runs of
its own first: a retried job's earlier files (see `ownFiles`), none for another.
*/
export async function entered({queue}: Joined, files: readonly string[], options: Pick<ResolvedOptions, 'queueRetry' | 'lastFailed' | 'image' | 'command'>, environment: NodeJS.ProcessEnv = process.env): Promise<{own: string[]; note: string}> {
	const {queueRetry, lastFailed, image, command} = options;
	await queue.seed(files, {image, ...(command !== undefined && {command}), startedAt: new Date().toISOString()});
	const own = isRetry(queueRetry, environment) ? ownFiles(await queue.own(), lastFailed) : [];
	const retried = isRetry(queueRetry, environment) ? `, a retry: ${own.length} of its earlier files first` : '';
	return {own, note: `queue ${queue.address.shown} of ${files.length} files, as job ${queue.job}${retried}`};
}

/**
A slot that finds only other jobs' files left waits for a change in the queue (a result written, a lost
lease's file back) or for the next lease to run out; and asks again at least this often, for a change
it may have missed (its listener connecting, or reconnecting).
*/
const pollMs = 1000;

/** What a retried job runs again: every file its earlier attempt took, or with `lastFailed` those whose result did not pass (or never came). */
export function ownFiles(had: ReadonlyArray<{file: string; result?: TestEnd}>, lastFailed: boolean): string[] {
	return had.filter(({result}) => !lastFailed || !result || isFailure(result.status)).map(({file}) => file);
}

/**
The files of a shared queue through this job's slots, pulled: each slot takes the next file whenever it
frees, runs it (its retries in the same slot, as `runFiles` does), and writes its result, until the queue
has no file left, pending or leased to another job (a lost job's files come back once their leases run
out). A running file's lease is renewed on the scheduler. Each `test-end` goes on at once, so that the
job's own reports have it whatever the server does, and is written to the queue after: a step the
server leaves unanswered for `boundMs` fails the run in words.
*/
export function runQueued(
	{queue, own, leaseMs, boundMs, scheduler}: QueueRun,
	slots: number,
	runOne: (file: string, slot: number, attempt: number, turn: Turn) => Observable<RunEvent>,
	{policy, bail, halt$ = NEVER}: Handing = {},
): Observable<RunEvent> {
	return defer(() => {
		const ends = new Subject<TestEnd>();
		const halted$ = halting(halt$, ends, bail);
		const haltedKnown = halted$.connect();
		const halt = {halt$: halted$.pipe(filter(Boolean)), ...(policy && {policy})};
		// How many changes this job has heard of: a slot that asked before the count moved asks again.
		const changes = connectable(queue.changes().pipe(scan(count => count + 1, 0), startWith(0)), {connector: () => new ReplaySubject<number>(1)});
		const changesHeard = changes.connect();

		const step = <T>(what: string, call: () => Promise<T>): Observable<T> => defer(call).pipe(timeout({
			first: boundMs,
			with: () => throwError(() => new BaleenError(`the queue ${queue.address.shown} did not answer for ${boundMs / 1000} s while ${what}; this job's own reports hold what it ran`)),
			scheduler,
		}));

		// A renewal the server cannot take now waits for it; the lease runs out meanwhile only if it stays away.
		const heartbeat = (file: string) => interval(leaseMs / 3, scheduler).pipe(
			exhaustMap(() => defer(async () => queue.renew(file)).pipe(catchError(() => EMPTY))),
			ignoreElements(),
		);

		const leased = (slotOf: (slot: number) => number) => (file: string, slot: number, attempt: number, turn: Turn) =>
			runOne(file, slotOf(slot), attempt, turn).pipe(alongside(heartbeat(file)));

		const written = (replace: boolean): MonoTypeOperatorFunction<RunEvent> => concatMap(event => (event.type === 'test-end'
			? concat(of(event), defer(() => {
				ends.next(event);
				return step(`writing the result of ${event.file}`, async () => queue.finish(event, replace));
			}).pipe(ignoreElements()))
			: of(event)));

		const retaken$ = own.length === 0 ? EMPTY : runFiles(
			own,
			Math.min(slots, own.length),
			(file, slot, attempt, turn) => concat(
				attempt === 1 ? step(`taking back ${file}`, async () => queue.take(file)).pipe(ignoreElements()) : EMPTY,
				leased(mine => mine)(file, slot, attempt, turn),
			),
			halt,
		).pipe(written(true));

		const next = (slot: number): Observable<RunEvent> => combineLatest([halted$, changes]).pipe(
			take(1),
			mergeMap(([halted, heard]) => (halted ? EMPTY : step('taking the next file', async () => queue.take()).pipe(map(taken => ({taken, heard}))))),
			mergeMap(({taken, heard}) => {
				if ('done' in taken) {
					return EMPTY;
				}

				if ('waitMs' in taken) {
					return race(timer(Math.min(taken.waitMs + 1, pollMs), scheduler), changes.pipe(first(count => count > heard))).pipe(take(1), mergeMap(() => next(slot)));
				}

				return concat(runFiles([taken.file], 1, leased(() => slot), halt).pipe(written(false)), defer(() => next(slot)));
			}),
		);

		return concat(retaken$, merge(...Array.from({length: slots}, (_, slot) => next(slot)))).pipe(finalize(() => {
			haltedKnown.unsubscribe();
			changesHeard.unsubscribe();
		}));
	});
}
