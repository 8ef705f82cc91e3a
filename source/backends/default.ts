import type {Backend} from './backend.js';
import {dockerBackend} from './docker/backend.js';
import type {EngineChoice} from './pool/choice.js';
import {currentContext} from './pool/contexts.js';
import {enginePool} from './pool/engines.js';

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
