import {Observable} from 'rxjs';

/** One slot of one engine, held by one job at a time. */
export type Lease = {engine: number; slot: number};

/** What the pool knows of one engine's slots: which are busy, and whether it is there to take more. */
export type EngineLeases = {busy: readonly boolean[]; up: boolean};

const free = (engine: EngineLeases) => engine.busy.filter(busy => !busy).length;

/** The engine that is up with the most free slots (the first on a tie), and its lowest free slot. */
export function pick(engines: readonly EngineLeases[]): Lease | undefined {
	let best: number | undefined;
	for (const [index, engine] of engines.entries()) {
		if (engine.up && free(engine) > 0 && (best === undefined || free(engine) > free(engines[best]!))) {
			best = index;
		}
	}

	return best === undefined ? undefined : {engine: best, slot: engines[best]!.busy.indexOf(false)};
}

export function withSlot(engines: readonly EngineLeases[], {engine, slot}: Lease, busy: boolean): EngineLeases[] {
	return engines.map((state, index) => (index === engine ? {...state, busy: state.busy.map((was, at) => (at === slot ? busy : was))} : state));
}

export function withUp(engines: readonly EngineLeases[], engine: number, up: boolean): EngineLeases[] {
	return engines.map((state, index) => (index === engine ? {...state, up} : state));
}

/**
The slots of every engine of a run, handed out in turn: a job waits until an engine that is up has a
free slot, so an engine that was lost gets nothing until it is back. Once `fail` is called (no engine
came back in time), every waiting and later request fails with its message.
*/
export type Leases = {
	/** One lease once a slot is free, then completes; unsubscribing before that gives up the place in line. */
	acquire(): Observable<Lease>;
	release(lease: Lease): void;
	setUp(engine: number, up: boolean): void;
	fail(message: string): void;
};

export function leases(counts: readonly number[]): Leases {
	let engines: EngineLeases[] = counts.map(count => ({busy: Array.from({length: count}, () => false), up: true}));
	const waiting: Array<{grant: (lease: Lease) => void; fail: (message: string) => void}> = [];
	let failure: string | undefined;

	// First come, first served: a slot that frees goes to the job that has waited longest.
	function dispatch(): void {
		for (let lease = pick(engines); lease && waiting.length > 0; lease = pick(engines)) {
			engines = withSlot(engines, lease, true);
			waiting.shift()!.grant(lease);
		}
	}

	return {
		acquire() {
			return new Observable<Lease>(subscriber => {
				if (failure !== undefined) {
					subscriber.error(new Error(failure));
					return;
				}

				const waiter = {
					grant(lease: Lease) {
						subscriber.next(lease);
						subscriber.complete();
					},
					fail(message: string) {
						subscriber.error(new Error(message));
					},
				};
				waiting.push(waiter);
				dispatch();
				return () => {
					const at = waiting.indexOf(waiter);
					if (at !== -1) {
						waiting.splice(at, 1);
					}
				};
			});
		},
		release(lease) {
			engines = withSlot(engines, lease, false);
			dispatch();
		},
		setUp(engine, up) {
			engines = withUp(engines, engine, up);
			dispatch();
		},
		fail(message) {
			failure = message;
			for (const waiter of waiting.splice(0)) {
				waiter.fail(message);
			}
		},
	};
}
