import {
	here, leftoverReason, removalOrder, type Labelled, type Now,
} from './leftovers.js';
import type {EngineStore} from '../backends/docker/leftovers.js';

export type Swept = Array<{thing: Labelled; reason: string}>;

/** Finds what earlier runs left in the stores of one engine and, unless `dryRun`, removes it; returns what it found. `keptFor`: see leftoverReason. */
export async function removeLeftovers(stores: readonly EngineStore[], {dryRun = false, now = here(), keptFor}: {dryRun?: boolean; now?: Now; keptFor?: number} = {}): Promise<Swept> {
	const listed = await Promise.all(stores.map(async store => (await store.list()).map(thing => ({thing, store}))));
	const found = listed.flat().flatMap(({thing, store}) => {
		const reason = leftoverReason(thing, now, keptFor);
		return reason ? [{thing, reason, store}] : [];
	});
	if (!dryRun) {
		for (const kind of removalOrder(found.map(({thing}) => thing))) {
			// eslint-disable-next-line no-await-in-loop
			await Promise.all(found.filter(({thing}) => thing.kind === kind).map(async ({thing, store}) => store.remove(thing)));
		}
	}

	return found.map(({thing, reason}) => ({thing, reason}));
}
