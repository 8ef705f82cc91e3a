import Docker from 'dockerode';
import {BaleenError} from '../errors.js';
import type {Backend} from './backend.js';
import {dockerBackend} from './docker/backend.js';
import {dockerEngine} from './docker/dockerode.js';
import {choiceName, type EngineChoice} from './pool/choice.js';
import {reach} from './pool/connection.js';
import {currentContext} from './pool/contexts.js';
import {enginePool} from './pool/engines.js';
import {usageError} from './pool/pool.js';
import {swarmBackend} from './swarm/backend.js';
import {swarmManager} from './swarm/manager.js';

/**
Where files run: the engines the run names; else, as for the docker CLI, the engine of DOCKER_HOST, or
the context of DOCKER_CONTEXT or the config's `currentContext`; else the local socket.
*/
export function defaultBackend(engines?: readonly EngineChoice[], environment: NodeJS.ProcessEnv = process.env): Backend {
	if (engines && engines.length > 0) {
		return enginePool(engines, environment);
	}

	const context = currentContext(environment);
	return context ? enginePool([{context}], environment) : dockerBackend();
}

/**
`--swarm`: the one engine the run names (`--engine`, or the current Docker context) is the Swarm's
manager; DOCKER_HOST's (or the local socket) without one. A Swarm places the files itself, so one
manager is all a run needs.
*/
export function swarmBackendFor(engines?: readonly EngineChoice[], environment: NodeJS.ProcessEnv = process.env): Backend {
	if (engines && engines.length > 1) {
		throw new BaleenError(`--swarm takes one engine, the Swarm's manager, not ${engines.length} (${engines.map(choice => choiceName(choice)).join(', ')}): the Swarm places the files on its nodes`);
	}

	const context = currentContext(environment);
	const choice = engines?.[0] ?? (context ? {context} : undefined);
	if (!choice) {
		return swarmBackend();
	}

	try {
		const at = reach(choice, environment);
		return swarmBackend({engine: dockerEngine(environment, at), manager: swarmManager(new Docker(at.options), at.name)});
	} catch (error) {
		throw usageError(choiceName(choice), error);
	}
}
