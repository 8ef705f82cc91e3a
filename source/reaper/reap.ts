import {
	asyncScheduler, defer, retry, throwError, timeout, timer, type Observable, type SchedulerLike,
} from 'rxjs';
import type {EngineChoice} from '../backends/pool/choice.js';
import {backends as registry, pickBackend, type Backends} from '../backends/registry.js';
import {BaleenError} from '../errors.js';

/** The run a reaper is for: its id, its backend's name, and the engines it named. */
export type Reaped = {runId: string; backend: string; engines?: readonly EngineChoice[]};

export type ReapTiming = {
	/** How often to look again at an engine that does not answer. */
	lookEveryMs?: number;
	/**
	How long to keep at an engine that does not answer (one that went away and was not back before baleen
	gave up on it) before giving up; later starts of baleen sweep what is left then.
	*/
	giveUpMs?: number;
	scheduler?: SchedulerLike;
};

/**
What the reaper does once baleen is gone: the run's backend, as the registry makes it, sweeps what the
run left, looking again while its engines do not answer. It fails at once with a `BaleenError` when the
backend cannot even be made (an engine that cannot be named will not come back), and with a timeout
once it has kept at them `giveUpMs`. Emits how many things it removed.
*/
export function reap(
	{runId, backend, engines}: Reaped,
	{environment = process.env, backends = registry}: {environment?: NodeJS.ProcessEnv; backends?: Backends} = {},
	{lookEveryMs = 1000, giveUpMs = 10 * 60_000, scheduler = asyncScheduler}: ReapTiming = {},
): Observable<number> {
	return defer(() => {
		const made = pickBackend(backend, backends).backend({engines, environment});
		return defer(async () => made.sweep(runId)).pipe(
			retry({delay: error => (error instanceof BaleenError ? throwError(() => error) : timer(lookEveryMs, scheduler))}),
			timeout({first: giveUpMs, scheduler}),
		);
	});
}
