import {
	EMPTY, Subject, asyncScheduler, catchError, combineLatest, concatMap, connect, defer, distinctUntilChanged, filter, finalize, map,
	merge, mergeMap, of, share, startWith, Subscription, switchMap, take, takeUntil, tap, timer, type Observable, type SchedulerLike,
} from 'rxjs';
import {BaleenError} from '../../errors.js';
import type {Backend, Job, JobEvent, PrepareRequest, Prepared} from '../backend.js';
import {errorMessage} from '../docker/engine.js';
import {defaultHealthTiming, health, type Health, type HealthTiming} from './health.js';
import {leases, type Lease, type Leases} from './leases.js';

/** One engine of a pool: a backend of its own, and a way to ask whether it still answers. */
export type Member = {
	name: string;
	backend: Backend;
	ping: () => Promise<void>;
	/** Jobs at once; what the backend's `prepare` says (the engine's CPU count) when absent. */
	slots?: number;
};

export type PoolTiming = HealthTiming & {
	/**
	With every engine lost, how long to wait for one to come back before the files left end as `error`;
	the run's `--engine-wait` (`PrepareRequest.engineWaitMs`) when absent.
	*/
	noEngineWaitMs?: number;
};

type End = Extract<JobEvent, {type: 'exited' | 'failed'}>;
const isEnd = (event: JobEvent): event is End => event.type === 'exited' || event.type === 'failed';

/** How a call to an engine that went away fails (a socket refused, reset or gone; a deadline passed). */
const connectionLost = /ECONNREFUSED|ECONNRESET|ENOENT|EPIPE|EHOSTUNREACH|ETIMEDOUT|socket hang up|did not answer|no answer within/;

/** What a prepared pool holds for its run. */
type Session = {
	members: Array<Member & {slots: number}>;
	leases: Leases;
	/** Each engine's changes of health, shared by its jobs. */
	lost: Array<Observable<string>>;
	/** Tells an engine's monitor that a job found it gone. */
	report: Array<Subject<string>>;
	/** The engines lost now. */
	down: Set<number>;
	watching: Subscription;
	runId: string;
};

const ignore = () => undefined;

/**
Several engines as one backend. Every job takes a slot of the engine that is up with the most free
slots, so one queue feeds them all, and runs there in that engine's local slot (which keys its network
sandbox), never in the run's slot number: an engine that is lost gets no more jobs, whatever slot
number the run hands out. An engine is lost when a ping fails (every `pingEveryMs`) or a job on it fails
as a call to a gone engine does; its running jobs then end `failed` with `lost: true`, so that the run
can try them again elsewhere. It is tried again with backoff and, once it answers, swept of what the run
left on it, prepared again, and takes jobs again. With every engine lost for `noEngineWaitMs`, the jobs
waiting and those still to come fail with a message that names the engines.
*/
export function poolBackend(
	name: string,
	connectMembers: () => Member[],
	timing: PoolTiming = defaultHealthTiming,
	scheduler: SchedulerLike = asyncScheduler,
): Backend {
	let session: Session | undefined;
	let members: Member[] | undefined;
	const connected = () => {
		members ??= connectMembers();
		return members;
	};

	async function prepareMembers(request: PrepareRequest): Promise<Array<{member: Member; prepared: Prepared}>> {
		const all = connected();
		const several = all.length > 1;
		const settled = await Promise.allSettled(all.map(async member => ({
			member,
			prepared: await member.backend.prepare({
				...request,
				...(request.build && {build: {...request.build, onLine(line: string) {
					request.build!.onLine(several ? `${member.name}: ${line}` : line);
				}}}),
			}),
		})));
		const failed = settled.find(result => result.status === 'rejected');
		if (failed) {
			await Promise.all(all.map(async member => member.backend.close().catch(ignore)));
			throw failed.reason;
		}

		return settled.map(result => (result as PromiseFulfilledResult<{member: Member; prepared: Prepared}>).value);
	}

	function watch(current: Session, request: PrepareRequest): Subscription {
		const healths = current.members.map((member, index) => health(
			member.ping,
			async () => {
				await member.ping();
				await member.backend.close().catch(ignore);
				await member.backend.sweep(current.runId);

				await member.backend.prepare({...request, build: undefined});
			},
			current.report[index]!,
			timing,
			scheduler,
		).pipe(
			tap(change => {
				current.leases.setUp(index, change.up);
				if (change.up) {
					current.down.delete(index);
				} else {
					current.down.add(index);
				}
			}),
			startWith<Health>({up: true}),
			share(),
		));
		current.lost.push(...healths.map(health$ => health$.pipe(
			filter((change): change is Extract<Health, {up: false}> => !change.up),
			map(change => change.reason),
		)));
		const waitMs = timing.noEngineWaitMs ?? request.engineWaitMs;
		const noneLeft$ = combineLatest(healths).pipe(
			map(changes => changes.every(change => !change.up) ? changes : undefined),
			distinctUntilChanged((a, b) => (a === undefined) === (b === undefined)),
			switchMap(changes => (changes ? timer(waitMs, scheduler).pipe(map(() => changes)) : EMPTY)),
			take(1),
		);
		return merge(...healths, noneLeft$.pipe(tap(changes => {
			const why = changes.map((change, index) => `${current.members[index]!.name} (${change.up ? 'up' : change.reason})`);
			current.leases.fail(`no engine left to run on: every engine was lost and none came back within ${waitMs / 1000} s (--engine-wait): ${why.join(', ')}`);
		}))).subscribe();
	}

	/**
	A failure of a job is the engine's loss when the backend says so, or the engine is gone: by the error's
	words, or by no answer to a ping. Either way the engine is out until it answers again, so that the
	file's next attempt goes to another engine rather than wait for this one.
	*/
	async function lostOr(member: Member, report: Subject<string>, end: Extract<End, {type: 'failed'}>): Promise<End> {
		const gone = end.lost === true || connectionLost.test(end.message) || await member.ping().then(() => false, () => true);
		if (!gone) {
			return end;
		}

		report.next(end.message);
		return {...end, lost: true};
	}

	function runOn(current: Session, lease: Lease, job: Job, stop$: Observable<unknown>): Observable<JobEvent> {
		const member = current.members[lease.engine]!;
		let held = true;
		const release = () => {
			if (held) {
				held = false;
				current.leases.release(lease);
			}
		};

		return member.backend.run({...job, ...(job.slot !== undefined && {slot: lease.slot})}, stop$).pipe(
			concatMap(event => (event.type === 'failed' ? defer(async () => lostOr(member, current.report[lease.engine]!, event)) : of(event))),
			map(event => (event.type === 'started' ? {...event, engine: member.name, slot: lease.slot} : event)),
			connect(events$ => {
				const lost$ = current.lost[lease.engine]!.pipe(
					take(1),
					takeUntil(events$.pipe(filter(isEnd))),
					map((reason): JobEvent => ({type: 'failed', message: `lost the engine ${member.name}: ${reason}`, lost: true})),
					share(),
				);
				return merge(events$.pipe(takeUntil(lost$)), lost$);
			}),
			// The slot frees at the job's end, while the engine still removes what the job left.
			tap(event => {
				if (isEnd(event)) {
					release();
				}
			}),
			finalize(release),
		);
	}

	return {
		name,

		async prepare(request) {
			const prepared = await prepareMembers(request);
			const all = prepared.map(({member, prepared}) => ({...member, slots: member.slots ?? prepared.slots}));
			const current: Session = {
				members: all,
				leases: leases(all.map(member => member.slots)),
				lost: [],
				report: all.map(() => new Subject<string>()),
				down: new Set<number>(),
				watching: Subscription.EMPTY,
				runId: request.runId,
			};
			current.watching = watch(current, request);
			session = current;
			const several = all.length > 1;
			return {
				slots: all.reduce((sum, member) => sum + member.slots, 0),
				notes: prepared.flatMap(({member, prepared}) => prepared.notes.map(note => (several ? `${member.name}: ${note}` : note))),
				engines: all.map(member => ({name: member.name, slots: member.slots})),
			};
		},

		run(job, stop$) {
			return defer(() => {
				const current = session;
				if (!current) {
					return of<JobEvent>({type: 'failed', message: `the engines ${name} were not prepared for a run`});
				}

				return current.leases.acquire().pipe(
					takeUntil(stop$), // Stopped while it waited for a slot: it never starts.
					mergeMap(lease => runOn(current, lease, job, stop$)),
					catchError((error: unknown) => of<JobEvent>({type: 'failed', message: errorMessage(error)})),
				);
			});
		},

		/** Every engine is swept, those that answer even when one does not; then the first failure, if any, is thrown. */
		async sweep(runId) {
			const counts = await Promise.allSettled(connected().map(async member => member.backend.sweep(runId)));
			const failed = counts.find(count => count.status === 'rejected');
			if (failed) {
				throw failed.reason;
			}

			return counts.reduce((sum, count) => sum + (count as PromiseFulfilledResult<number>).value, 0);
		},

		async close() {
			const closing = session;
			session = undefined;
			closing?.watching.unsubscribe();
			// A lost engine's backend would wait for it to come back (--engine-wait) before it lets go: not awaited.
			await Promise.all((members ?? []).map(async (member, index) => {
				const closed = member.backend.close().catch(ignore);
				if (!closing?.down.has(index)) {
					await closed;
				}
			}));
			// An engine still lost may be back by now: one look, and what the run left there goes.
			if (closing) {
				await Promise.all([...closing.down].map(async index => {
					const member = closing.members[index]!;
					await member.ping().then(async () => member.backend.sweep(closing.runId)).catch(ignore);
				}));
			}
		},
	};
}

/** Wraps what naming an engine throws (a context that is not there, a key that cannot be read) as a usage error. */
export function usageError(engine: string, error: unknown): BaleenError {
	return error instanceof BaleenError ? error : new BaleenError(`--engine ${engine}: ${errorMessage(error)}`);
}
