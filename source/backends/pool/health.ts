import {
	asyncScheduler, catchError, concat, defer, endWith, exhaustMap, ignoreElements, map, merge, of, repeat, retry, take, timer,
	type Observable, type ObservableInput, type SchedulerLike,
} from 'rxjs';
import {errorMessage} from '../docker/engine.js';

/** An engine's state as the pool sees it: there to take jobs, or lost and why. */
export type Health = {up: true} | {up: false; reason: string};

export type HealthTiming = {
	/** How often an engine that is up is pinged. */
	pingEveryMs: number;
	/** The wait before the nth (from 0) attempt to bring a lost engine back. */
	backoffMs: (attempt: number) => number;
};

/** 0.5 s, 1 s, 2 s, 4 s, then every 5 s: a ping is cheap, and a lost engine's slots are worth having back soon. */
export const defaultHealthTiming: HealthTiming = {
	pingEveryMs: 5000,
	backoffMs: attempt => Math.min(500 * (2 ** attempt), 5000),
};

/**
An engine's changes of health, starting up: it is lost when a ping fails or `reported$` says so (a job
found it gone), then `rejoin` (which must reach it and make it ready again) is tried with backoff until it
succeeds, and it is up again; and so on, until unsubscribed.
*/
export function health(
	ping: () => ObservableInput<unknown>,
	rejoin: () => ObservableInput<unknown>,
	reported$: Observable<string>,
	timing: HealthTiming = defaultHealthTiming,
	scheduler: SchedulerLike = asyncScheduler,
): Observable<Health> {
	const failedPing$ = timer(timing.pingEveryMs, timing.pingEveryMs, scheduler).pipe(exhaustMap(() => defer(ping).pipe(
		ignoreElements(),
		catchError((error: unknown) => of(errorMessage(error))),
	)));
	const lost$ = merge(reported$, failedPing$).pipe(take(1), map((reason): Health => ({up: false, reason})));
	const back$ = defer(rejoin).pipe(
		ignoreElements(),
		retry({delay: (_error, count) => timer(timing.backoffMs(count), scheduler)}),
		endWith<Health>({up: true}),
	);
	// The first attempt waits too: an engine that just went away rarely answers the next millisecond.
	const rejoined$ = timer(timing.backoffMs(0), scheduler).pipe(exhaustMap(() => back$));
	return concat(lost$, rejoined$).pipe(repeat());
}
