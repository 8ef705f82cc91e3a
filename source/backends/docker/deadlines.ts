import {
	EMPTY, asyncScheduler, from, lastValueFrom, mergeMap, throwError, timeout, timer, type MonoTypeOperatorFunction, type Observable, type SchedulerLike,
} from 'rxjs';
import type {Engine} from './engine.js';

/** How long an engine call may go unanswered, unless BALEEN_CALL_TIMEOUT (seconds) says otherwise. */
export const defaultCallTimeoutMs = 30_000;

export function callTimeoutMs(environment: NodeJS.ProcessEnv = process.env): number {
	const seconds = Number(environment.BALEEN_CALL_TIMEOUT);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : defaultCallTimeoutMs;
}

/** Fails what gives no first value within `ms` with `failure`, on `scheduler`'s clock. */
export function within<T>(ms: number, failure: () => Error, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
	return timeout({first: ms, scheduler, with: () => throwError(failure)});
}

/** What an engine that did not answer in time is told as. */
export const unanswered = (what: string, engineName: string, ms: number) => new Error(`the Docker engine at ${engineName} did not answer ${what} within ${ms / 1000} s`);

/** Fails once the engine's call deadline has passed, naming what it did not answer; never, for an engine without one. */
export function pastDeadline(engine: Pick<Engine, 'name' | 'callTimeoutMs'>, what: string, scheduler: SchedulerLike = asyncScheduler): Observable<never> {
	const ms = engine.callTimeoutMs;
	return ms === undefined ? EMPTY : timer(ms, scheduler).pipe(mergeMap(() => throwError(() => unanswered(what, engine.name, ms))));
}

/** Fails what gives no first value within `ms` with an error naming the engine and what it did not answer. */
export function answerWithin<T>(what: string, engineName: string, ms: number, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
	return within(ms, () => unanswered(what, engineName, ms), scheduler);
}

/** The call's answer, or an error naming the engine and the call once `ms` have passed without one. */
export async function answered<T>(call: Promise<T>, what: string, engineName: string, ms: number, scheduler: SchedulerLike = asyncScheduler): Promise<T> {
	return lastValueFrom(from(call).pipe(answerWithin(what, engineName, ms, scheduler)));
}

/**
The engine with a deadline on every call that should answer at once. Two are left unbounded: `wait`,
which answers when the test ends (the job's own timeout bounds it, and after a kill the container's
life bounds the wait: see container.ts), and `build`, which takes as long as the build does.
*/
export function withDeadlines(engine: Engine, ms: number, scheduler: SchedulerLike = asyncScheduler): Engine {
	const bound = <A extends unknown[], T>(what: string, call: (...arguments_: A) => Promise<T>) =>
		async (...arguments_: A): Promise<T> => answered(call(...arguments_), what, engine.name, ms, scheduler);
	return {
		...engine,
		callTimeoutMs: ms,
		ping: bound('a ping', engine.ping),
		cpus: bound('its info', engine.cpus),
		image: bound('an image inspect', engine.image),
		removeImage: bound('an image removal', engine.removeImage),
		mounts: bound('a container inspect', engine.mounts),
		create: bound('a container create', engine.create),
		attach: bound('an attach', engine.attach),
		session: bound('an attach', engine.session),
		exec: bound('an exec', engine.exec),
		start: bound('a container start', engine.start),
		oomKilled: bound('a container inspect', engine.oomKilled),
		ooms: engine.ooms,
		kill: bound('a container kill', engine.kill),
		hasFile: bound('a file lookup in a container', engine.hasFile),
		archive: bound('a copy out of a container', engine.archive),
		commit: bound('a container commit', engine.commit),
		remove: bound('a container removal', engine.remove),
		removeLabelled: bound('a removal by label', engine.removeLabelled),
	};
}
