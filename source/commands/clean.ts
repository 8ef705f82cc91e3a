import {errorMessage} from '../backends/docker/engine.js';
import {BaleenError} from '../errors.js';
import {countWords, leftoverLine} from '../cleanup/leftovers.js';
import {dockerStore, type EngineStore} from '../backends/docker/leftovers.js';
import {removeLeftovers} from '../cleanup/remove.js';
import {withServices} from '../backends/swarm/leftovers.js';

/** `baleen clean [--dry-run]`: a line for each leftover of earlier runs, removed unless it is a dry run. */
export async function clean({dryRun = false, engine = 'the Docker engine', store = withServices(dockerStore())}: {dryRun?: boolean; engine?: string; store?: EngineStore} = {}): Promise<string[]> {
	let found;
	try {
		found = await removeLeftovers(store, {dryRun});
	} catch (error) {
		throw new BaleenError(`cannot clean up on ${engine}: ${errorMessage(error)}`);
	}

	const lines = found.map(({thing, reason}) => `${dryRun ? 'would remove' : 'removed'} ${leftoverLine(thing, reason)}`);
	const things = found.map(({thing}) => thing);
	return [...lines, found.length === 0
		? `nothing left by earlier runs on ${engine}`
		: `${dryRun ? 'would remove' : 'removed'} ${countWords(things)} on ${engine}${dryRun ? '; run baleen clean to remove them' : ''}`];
}

/** What a run's start says after removing what earlier runs left; undefined when there was nothing. */
export async function removeLeftoversBeforeRun(store: EngineStore = withServices(dockerStore())): Promise<string | undefined> {
	const found = await removeLeftovers(store).catch(() => []);
	return found.length === 0 ? undefined : `removed ${countWords(found.map(({thing}) => thing))} left by earlier runs (baleen clean --dry-run lists such leftovers)`;
}
