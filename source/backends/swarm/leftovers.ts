import type {Labelled} from '../../cleanup/leftovers.js';
import type {EngineStore} from '../docker/leftovers.js';
import type {SwarmManager} from './manager.js';

/**
The services of `--swarm` runs on an engine (one that is no manager has none). A service is removed by
the manager, which shuts its task down; the task's container is a labelled container of the engine,
which the docker backend's store finds.
*/
export function serviceStore(manager: SwarmManager): EngineStore {
	return {
		async list() {
			return (await manager.list('baleen.run')).map(({id, name, labels}): Labelled => ({kind: 'service', id, name, labels}));
		},

		async remove(thing) {
			await manager.remove(thing.id);
		},
	};
}
