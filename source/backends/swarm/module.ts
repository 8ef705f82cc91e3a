import Docker from 'dockerode';
import {BaleenError} from '../../errors.js';
import {dockerEngine, engineName} from '../docker/dockerode.js';
import type {BackendModule} from '../module.js';
import {choiceName} from '../pool/choice.js';
import {engineHandles, namedEngines, reached} from '../pool/named.js';
import {swarmBackend} from './backend.js';
import {serviceStore} from './leftovers.js';
import {swarmManager} from './manager.js';

/**
`--backend swarm` (`--swarm`): the one engine the run names (`--engine`, or the current Docker context) is
the Swarm's manager; DOCKER_HOST's (or the local socket) without one. A Swarm places the files itself,
so one manager is all a run needs. Its tasks' files stay on their nodes: nothing is copied out.
*/
export const swarm: BackendModule = {
	summary: 'a one-shot service per file, placed on a node by a Swarm manager',
	capabilities: {copyOut: false, build: true, limits: true, sandboxes: false, createAhead: false, commit: false, slotContainers: false},

	backend(where) {
		const choices = namedEngines(where);
		if (choices && choices.length > 1) {
			throw new BaleenError(`--swarm takes one engine, the Swarm's manager, not ${choices.length} (${choices.map(choice => choiceName(choice)).join(', ')}): the Swarm places the files on its nodes`);
		}

		const at = choices && reached(choices[0]!, where.environment);
		return swarmBackend({
			engine: dockerEngine(where.environment, at),
			manager: at ? swarmManager(new Docker(at.options), at.name) : swarmManager(new Docker(), engineName(where.environment)),
		});
	},

	/** The services of its runs on every engine named (one that is no manager has none); their tasks' containers are the docker backend's. */
	leftovers(where) {
		return engineHandles(where).map(({name, docker}) => ({name, store: serviceStore(swarmManager(docker, name))}));
	},
};
