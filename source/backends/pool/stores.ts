import Docker from 'dockerode';
import {dockerStore, type EngineStore} from '../docker/leftovers.js';
import {engineName} from '../docker/dockerode.js';
import {choiceName, type EngineChoice} from './choice.js';
import {withServices} from '../swarm/leftovers.js';
import {swarmManager} from '../swarm/manager.js';
import {reach} from './connection.js';
import {currentContext} from './contexts.js';
import {usageError} from './pool.js';

/** An engine's store of what baleen made there, with the engine's name for people. */
export type NamedStore = {name: string; store: EngineStore};

/**
Where leftovers are looked for (`baleen clean`, the sweep before a run): the engines named, else the one
a run would use (DOCKER_HOST, the current Docker context, the local socket); on a Swarm manager, the
services of `--swarm` runs too.
*/
export function engineStores(engines: readonly EngineChoice[] | undefined, environment: NodeJS.ProcessEnv = process.env): NamedStore[] {
	const context = currentContext(environment);
	const choices = engines && engines.length > 0 ? engines : context ? [{context}] : undefined;
	if (!choices) {
		return [{name: engineName(environment), store: withServices(dockerStore(new Docker(), environment))}];
	}

	return choices.map(choice => {
		try {
			const {name, options} = reach(choice, environment);
			return {name, store: withServices(dockerStore(new Docker(options), environment, name), swarmManager(new Docker(options), name))};
		} catch (error) {
			throw usageError(choiceName(choice), error);
		}
	});
}
