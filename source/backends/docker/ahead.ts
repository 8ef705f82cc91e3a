import type {Job} from '../backend.js';
import type {Engine} from './engine.js';

/** A container made ahead, and the network mode it was made with (a slot's holder, when it has one). */
export type Made = {id: string; networkMode?: string};

/**
What a container made ahead is made for: the job's file and its command. The parts of a split file,
and a retry of its failed tests, run one file with other commands: a slot that runs a part's retry
while it holds the next part made ahead must not take that one.
*/
export const aheadKey = (job: Pick<Job, 'file' | 'spec'>): string => JSON.stringify([job.file, job.spec.cmd]);

/**
Containers made ahead of their turn: while a slot's file runs, the container of the file the slot runs
next is created, so that all the slot waits for between its files is a start. Each is made for one job
(its `aheadKey`) in one slot (it joins that slot's network namespace) while the engine is in one
generation (between restarts, see outages.ts); taken by that job in that slot in that generation, or removed.
*/
export type Ahead = {
	/** Starts making the job's container for the slot; one made for the job before goes. */
	make(key: string, slot: number, create: () => Promise<Made>): void;
	/**
	The container made for the job in this slot, now the caller's. One made for it in another slot or
	before a restart goes at once; one made in another namespace than `networkMode` (the slot's holder was
	replaced meanwhile) goes before the promise rejects, so that the caller makes one anew.
	*/
	take(key: string, slot: number | undefined, networkMode: string | undefined): Promise<string> | undefined;
	/** Removes every container not taken, and waits for every removal it started. */
	close(): Promise<void>;
};

const ignore = () => undefined;

export function ahead(engine: Engine, generation: () => number = () => 0): Ahead {
	const made = new Map<string, {slot: number; generation: number; container: Promise<Made>}>();
	const removals = new Set<Promise<void>>();

	const discard = (container: Promise<Made>) => {
		// Kept until done, so that close() waits for it; it never rejects.
		const removal: Promise<void> = container.then(async ({id}) => engine.remove(id)).catch(ignore).then(() => {
			removals.delete(removal);
		});
		removals.add(removal);
	};

	return {
		make(key, slot, create) {
			const before = made.get(key);
			if (before) {
				discard(before.container);
			}

			const container = create();
			container.catch(ignore); // Its failure is the taker's to see (see container.ts), or nobody's.
			made.set(key, {slot, generation: generation(), container});
		},

		take(key, slot, networkMode) {
			const entry = made.get(key);
			if (!entry) {
				return undefined;
			}

			made.delete(key);
			if (entry.slot !== slot || entry.generation !== generation()) {
				discard(entry.container);
				return undefined;
			}

			return entry.container.then(async ({id, networkMode: madeIn}) => {
				if (madeIn === networkMode) {
					return id;
				}

				await engine.remove(id).catch(ignore);
				throw new Error('made ahead in a network namespace the slot no longer has');
			});
		},

		async close() {
			for (const {container} of made.values()) {
				discard(container);
			}

			made.clear();
			await Promise.all(removals);
		},
	};
}
