import {removeSurely} from './container.js';
import {errorMessage, type Engine} from './engine.js';

/**
A slot's network namespace is held by a container of the test image that only sleeps: the files the
slot runs one after another join it (`NetworkMode: container:<holder>`) instead of each paying for a
namespace of its own, the largest part of a short container's cost. Slots never share one.
*/
export type Sandboxes = {
	/** The `NetworkMode` for a container of this slot, its holder made on first use. */
	networkMode(slot: number): Promise<string>;
	/** The slot's holder `id` is gone or broken: it is removed, and the slot's next file gets a new one. */
	replace(slot: number, id: string): void;
	/** Removes every holder, those still being made included. */
	close(): Promise<void>;
};

export type SandboxSpec = {
	image: string;
	/** Changes when the engine came back from going away: the holders it had are gone with it (see outages.ts). */
	generation?: () => number;
	/** The network the holders join; Docker's default bridge when absent. */
	network?: string;
	labels: Record<string, string>;
};

/** The holder's whole program: busybox's `sleep` takes a 32-bit number of seconds, about 68 years. */
const hold = ['sleep', '2147483647'];

const ignore = () => undefined;

export function sandboxes(engine: Engine, {image, network, labels, generation = () => 0}: SandboxSpec): Sandboxes {
	const holders = new Map<number, {generation: number; id: Promise<string>}>();
	/** Holders of an earlier generation being removed: `close` waits for them too. */
	const retiring: Array<Promise<void>> = [];

	async function makeHolder(slot: number): Promise<string> {
		const id = await engine.create({
			image,
			entrypoint: hold.slice(0, 1),
			cmd: hold.slice(1),
			env: [],
			binds: [],
			labels: {...labels, 'baleen.role': 'holder', 'baleen.slot': String(slot)},
			networkMode: network,
		});
		try {
			await engine.start(id);
		} catch (error) {
			await engine.remove(id).catch(ignore);
			throw error;
		}

		return id;
	}

	return {
		async networkMode(slot) {
			let holder = holders.get(slot);
			if (holder && holder.generation !== generation()) {
				// Stopped by the engine's restart: it goes, and the slot gets a new one.
				retiring.push(holder.id.then(async id => removeSurely(engine, id), ignore));
				holder = undefined;
			}

			if (!holder) {
				const made = {generation: generation(), id: makeHolder(slot)};
				holder = made;
				holders.set(slot, made);
				// A holder that could not be made is tried again by the slot's next file.
				made.id.catch(() => {
					if (holders.get(slot) === made) {
						holders.delete(slot);
					}
				});
			}

			return `container:${await holder.id}`;
		},

		replace(slot, id) {
			const holder = holders.get(slot);
			if (holder) {
				// Among the retiring, so that close() waits for it too.
				retiring.push(holder.id.then(async current => {
					if (current === id && holders.get(slot) === holder) {
						holders.delete(slot);
						await removeSurely(engine, id);
					}
				}, ignore));
			}
		},

		async close() {
			const made = [...holders.values()];
			holders.clear();
			await Promise.all([...made.map(async holder => holder.id.then(async id => removeSurely(engine, id), ignore)), ...retiring.splice(0)]);
		},
	};
}

/** What runc says when the image has no `sleep` (or no such file at all) to keep a namespace with. */
const noProgram = /executable file not found|no such file/i;

/**
Makes slot 0's holder: nothing when the image can hold a namespace, why not when it has no `sleep`.
Anything else (a network that does not exist) is the engine's own error, thrown.
*/
export async function cannotHold(sandbox: Sandboxes): Promise<string | undefined> {
	try {
		await sandbox.networkMode(0);
		return undefined;
	} catch (error) {
		if (noProgram.test(errorMessage(error))) {
			return errorMessage(error);
		}

		throw error;
	}
}
