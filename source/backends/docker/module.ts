import type {BackendModule} from '../module.js';
import {enginePool} from '../pool/engines.js';
import {engineHandles, namedEngines} from '../pool/named.js';
import {dockerBackend} from './backend.js';
import {dockerEngine} from './dockerode.js';
import {dockerStore} from './leftovers.js';

/**
`--backend docker`, the default: each file in a container of its own on a Docker-compatible engine
(Docker, Podman), or spread over the engines the run names (a pool, see ../pool).
*/
export const docker: BackendModule = {
	summary: 'a container per file, on one engine or spread over several',
	capabilities: {copyOut: true, build: true, limits: true, sandboxes: true, createAhead: true, commit: true, slotContainers: true},

	backend(where) {
		const choices = namedEngines(where);
		return choices ? enginePool(choices, where.environment) : dockerBackend(dockerEngine(where.environment));
	},

	leftovers(where) {
		return engineHandles(where).map(({name, docker}) => ({name, store: dockerStore(docker, where.environment, name)}));
	},
};
