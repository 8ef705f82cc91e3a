import {BaleenError} from '../../errors.js';
import type {Engine} from './engine.js';
import {hostBinds, type Mount} from './host-paths.js';
import {ownContainerIds, type Surroundings} from './own-container.js';

/** The binds of a run as one engine is to be sent them, and a line for a person when that is in doubt. */
export type EngineBinds = {translate: (binds: readonly string[]) => string[]; note?: string};

const asGiven: EngineBinds = {translate: binds => [...binds]};

async function ownMounts(engine: Engine, ids: readonly string[]): Promise<Mount[] | undefined> {
	for (const id of ids) {
		// An engine behind a proxy that refuses inspects cannot say: the same as one that does not know the container.
		// eslint-disable-next-line no-await-in-loop -- the first id the engine knows wins; most runs have one.
		const mounts = await engine.mounts(id).catch(() => undefined);
		if (mounts) {
			return mounts;
		}
	}

	return undefined;
}

/**
An engine resolves bind sources on its own host. When baleen runs in a container of that engine (a CI
job's, a devcontainer, with the engine's socket mounted), a source is taken through the container's
mounts to the host path; one in the container's own filesystem fails the run before its first file.
Outside a container, or with no binds, nothing is asked of the engine. In a container another engine
runs, the sources go as they are, with a note: baleen cannot tell whether that engine's host has them.
*/
export async function engineBinds(engine: Engine, binds: readonly string[], surroundings?: Surroundings): Promise<EngineBinds> {
	const ids = binds.length > 0 ? ownContainerIds(surroundings) : [];
	if (ids.length === 0) {
		return asGiven;
	}

	const mounts = await ownMounts(engine, ids);
	if (!mounts) {
		const sources = binds.map(bind => bind.split(':')[0]).join(', ');
		return {...asGiven, note: `baleen runs in a container the engine at ${engine.name} does not know: the bind sources go as they are, so its host must have ${sources}`};
	}

	const checked = hostBinds(binds, mounts);
	if ('unseen' in checked) {
		throw new BaleenError(`cannot bind ${checked.unseen}: it is in the filesystem of the container baleen runs in, which the engine at ${engine.name} cannot see; mount it into this container from the host (docker run -v HOST_FOLDER:${checked.unseen}, or the project at the same path on both sides)`);
	}

	return {
		translate(binds) {
			const translated = hostBinds(binds, mounts);
			if ('unseen' in translated) {
				throw new Error(`the engine at ${engine.name} cannot see ${translated.unseen}, in the container baleen runs in`);
			}

			return translated.binds;
		},
	};
}
