import type {Labelled} from '../../cleanup/leftovers.js';
import type {EngineStore} from '../docker/leftovers.js';
import {swarmManager, type SwarmManager} from './manager.js';

/**
The store of an engine that may be a Swarm manager: what the engine holds, and the services of
`--swarm` runs besides (an engine that is no manager has none). A service is removed by the manager,
which shuts its task down; the task's container is a labelled container of the store.
*/
export function withServices(store: EngineStore, manager: SwarmManager = swarmManager()): EngineStore {
	return {
		async list() {
			const [services, things] = await Promise.all([manager.list('baleen.run'), store.list()]);
			return [...services.map(({id, name, labels}): Labelled => ({kind: 'service', id, name, labels})), ...things];
		},

		async remove(thing) {
			await (thing.kind === 'service' ? manager.remove(thing.id) : store.remove(thing));
		},
	};
}
