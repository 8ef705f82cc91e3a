import {concat, defer, ignoreElements, map, of, takeUntil, timer, type Observable} from 'rxjs';
import type {Backend, JobEvent} from '../../source/backends/backend.js';

/** One simulated engine: how many containers it runs at once, and what each costs it beyond the test itself. */
export type SimulatedEngine = {
	slots: number;
	/** Create and start (half), then remove (the other half), in milliseconds. */
	latencyMs: number;
};

export type Simulation = {
	engines: readonly SimulatedEngine[];
	/** How long each test itself runs. */
	testMs: number;
	/** How long one file's test runs, when files differ (a skewed suite); `testMs` for every file otherwise. */
	testMsOf?: (file: string) => number;
	/** How many times slower than `testMs` (or `testMsOf`) and `latencyMs` this machine runs them: 2 for one at half speed. */
	slowdown?: number;
};

/** Which engine a slot belongs to: the engines' slots side by side, 0…slots₀−1 on the first. */
export function engineOfSlot(engines: readonly SimulatedEngine[], slot: number): number {
	let first = 0;
	for (const [index, engine] of engines.entries()) {
		if (slot < first + engine.slots) {
			return index;
		}

		first += engine.slots;
	}

	return engines.length - 1;
}

/**
Several engines as one backend of timers: a job in a slot of engine i waits half that engine's
latency, starts, prints a line, runs `testMs`, exits 0, and completes after the other half (its
removal). The run's one queue hands a freed slot the next file, so a faster engine takes more files,
as a pool of engines would. Nothing but timers: what is measured besides them is the client, baleen's
own pipeline on one event loop.
*/
export function simulatedEngines({engines, testMs, testMsOf = () => testMs, slowdown = 1}: Simulation): Backend {
	const slots = engines.reduce((sum, engine) => sum + engine.slots, 0);
	return {
		name: `simulated ${engines.length} engine${engines.length === 1 ? '' : 's'}`,
		prepare: async () => ({slots, notes: []}),
		run(job, stop$): Observable<JobEvent> {
			return defer(() => {
				const engine = engines[engineOfSlot(engines, job.slot ?? 0)]!;
				const half = slowdown * engine.latencyMs / 2;
				const life$ = concat(
					timer(half).pipe(map((): JobEvent => ({type: 'started', id: `${job.file}@${engine.latencyMs}`, at: Date.now()}))),
					of<JobEvent>({type: 'output', stream: 'stdout', chunk: Buffer.from(`ran ${job.file}\n`)}),
					timer(slowdown * testMsOf(job.file)).pipe(map((): JobEvent => ({type: 'exited', exitCode: 0}))),
				);
				return concat(life$.pipe(takeUntil(stop$)), timer(half).pipe(ignoreElements()));
			});
		},
		sweep: async () => 0,
		close: async () => undefined,
	};
}
