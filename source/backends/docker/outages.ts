import type {Engine} from './engine.js';
import {errorMessage} from './engine.js';

/** How long a run waits for an engine that went away to answer again, unless `--engine-wait` says otherwise. */
export const defaultEngineWaitMs = 60_000;
const lookEveryMs = 500;

/** What a call fails with when the engine itself went away (its socket refuses, a connection broke), not when it refused the call. */
const goneCodes = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);

export function engineGone(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return (code !== undefined && goneCodes.has(code)) || /socket hang up|connect ENOENT|connect ECONNREFUSED/i.test(errorMessage(error));
}

/** A call that failed because the engine went away: the job it served says nothing about its test. */
export class EngineLost extends Error {
	readonly lost = true;
}

export const isLost = (error: unknown): error is EngineLost => error instanceof EngineLost;

const pause = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

/** The engine, riding out its restarts: see `withOutages`. */
export type WatchedEngine = Engine & {
	/** Counts the engine's returns: what a slot keeps (a holder) from an earlier one is gone with the restart. */
	generation(): number;
	/** Resolves once the engine answers, at once when it did not go away; rejects once it was given up on. */
	ready(): Promise<void>;
};

/**
The engine, for a run that outlives a restart of it. A call that finds the engine gone fails with
`EngineLost` and starts an outage: from then on every call waits for the engine to answer again (a
ping every 500 ms) and is then made, so new jobs wait instead of failing and the removal of what the
restart left happens once it is back. If it does not answer within `waitMs`, every call from then on
fails at once with one message that says so. Only calls that do not depend on a container surviving
are worth making again; the caller decides what a lost call means (container.ts: the attempt is lost).
*/
export function withOutages(engine: Engine, waitMs = defaultEngineWaitMs): WatchedEngine {
	let outage: Promise<void> | undefined;
	let gaveUp: Error | undefined;
	let generation = 0;

	async function waitForReturn(since: number): Promise<void> {
		while (Date.now() - since < waitMs) {
			// eslint-disable-next-line no-await-in-loop
			if (await engine.ping().then(() => true, () => false)) {
				generation++;
				return;
			}

			// eslint-disable-next-line no-await-in-loop
			await pause(lookEveryMs);
		}

		gaveUp = new Error(`the Docker engine at ${engine.name} went away and did not answer again within ${waitMs / 1000} s (--engine-wait)`);
		throw gaveUp;
	}

	function wentAway(): void {
		if (!outage && !gaveUp) {
			const current = waitForReturn(Date.now()).finally(() => {
				if (outage === current) {
					outage = undefined;
				}
			});
			current.catch(() => undefined);
			outage = current;
		}
	}

	const watched = <A extends unknown[], T>(call: (...arguments_: A) => Promise<T>) => async (...arguments_: A): Promise<T> => {
		if (gaveUp) {
			throw gaveUp;
		}

		await outage;
		try {
			return await call(...arguments_);
		} catch (error) {
			if (!engineGone(error)) {
				throw error;
			}

			wentAway();
			throw new EngineLost(`the Docker engine at ${engine.name} went away (${errorMessage(error)})`, {cause: error});
		}
	};

	return {
		...engine,
		generation: () => generation,
		async ready() {
			if (gaveUp) {
				throw gaveUp;
			}

			await outage;
		},
		ping: engine.ping.bind(engine),
		ooms: engine.ooms.bind(engine),
		...Object.fromEntries(ridden.map(name => [name, watched((engine[name] as (...arguments_: unknown[]) => Promise<unknown>).bind(engine))])) as Pick<Engine, Ridden>,
	};
}

/** The calls that wait out an outage; `ping` tells whether it is over, and `ooms` is a stream that ends with its container. */
const ridden = ['cpus', 'image', 'removeImage', 'build', 'create', 'attach', 'session', 'exec', 'start', 'wait', 'oomKilled', 'kill', 'hasFile', 'commit', 'remove', 'removeLabelled'] as const;
type Ridden = typeof ridden[number];
