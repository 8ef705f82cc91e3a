import {
	here, leftoverReason, type Labelled, type Now,
} from './leftovers.js';
import type {EngineStore} from '../backends/docker/leftovers.js';

export type Swept = Array<{thing: Labelled; reason: string}>;

/** Finds what earlier runs left on the engine and, unless `dryRun`, removes it; returns what it found. */
export async function removeLeftovers(store: EngineStore, {dryRun = false, now = here()}: {dryRun?: boolean; now?: Now} = {}): Promise<Swept> {
	const found = (await store.list()).flatMap(thing => {
		const reason = leftoverReason(thing, now);
		return reason ? [{thing, reason}] : [];
	});
	if (!dryRun) {
		// Services first (a task's container goes with its service), then containers: an image a leftover container still uses cannot go before it.
		for (const kind of ['service', 'container', 'image'] as const) {
			// eslint-disable-next-line no-await-in-loop
			await Promise.all(found.filter(({thing}) => thing.kind === kind).map(async ({thing}) => store.remove(thing)));
		}
	}

	return found;
}
