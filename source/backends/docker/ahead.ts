import type {Engine} from './engine.js';

/** A container made ahead, and the network mode it was made with (a slot's holder, when it has one). */
export type Made = {id: string; networkMode?: string};

/**
Containers made ahead of their turn: while a slot's file runs, the container of the file the slot runs
next is created, so that all the slot waits for between its files is a start. Each is made for one file
in one slot (it joins that slot's network namespace) while the engine is in one generation (between
restarts, see outages.ts); taken by that file in that slot in that generation, or removed.
*/
export type Ahead = {
	/** Starts making the file's container for the slot; one made for the file before goes. */
	make(file: string, slot: number, create: () => Promise<Made>): void;
	/**
	The container made for the file in this slot, now the caller's. One made for it in another slot or
	before a restart goes at once; one made in another namespace than `networkMode` (the slot's holder was
	replaced meanwhile) goes before the promise rejects, so that the caller makes one anew.
	*/
	take(file: string, slot: number | undefined, networkMode: string | undefined): Promise<string> | undefined;
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
		make(file, slot, create) {
			const before = made.get(file);
			if (before) {
				discard(before.container);
			}

			const container = create();
			container.catch(ignore); // Its failure is the taker's to see (see container.ts), or nobody's.
			made.set(file, {slot, generation: generation(), container});
		},

		take(file, slot, networkMode) {
			const entry = made.get(file);
			if (!entry) {
				return undefined;
			}

			made.delete(file);
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
