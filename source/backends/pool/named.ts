import Docker from 'dockerode';
import type {EngineAt} from '../docker/dockerode.js';
import {engineName} from '../docker/dockerode.js';
import type {Where} from '../module.js';
import {choiceName, type EngineChoice} from './choice.js';
import {reach} from './connection.js';
import {currentContext} from './contexts.js';
import {usageError} from './pool.js';

/**
The engines a run names, as the docker CLI finds them: those of `--engine`, else the current Docker
context (DOCKER_CONTEXT or the config's `currentContext`); undefined when it names none, and the engine is
DOCKER_HOST's, or the local socket.
*/
export function namedEngines({engines, environment}: Where): readonly EngineChoice[] | undefined {
	if (engines && engines.length > 0) {
		return engines;
	}

	const context = currentContext(environment);
	return context ? [{context}] : undefined;
}

/** How dockerode reaches an engine a run names; a usage error naming it when it cannot (a context that is not there). */
export function reached(choice: EngineChoice, environment: NodeJS.ProcessEnv): EngineAt {
	try {
		return reach(choice, environment);
	} catch (error) {
		throw usageError(choiceName(choice), error);
	}
}

/**
A dockerode handle on each engine the run would use, with its name for people. Its few calls (a sweep,
a listing) each have a connection of their own that goes with the call: a kept one, an ssh process over
ssh, would stay idle for the rest of the run.
*/
export function engineHandles(where: Where): Array<{name: string; docker: Docker}> {
	const choices = namedEngines(where);
	if (!choices) {
		// As `new Docker()` reaches it: DOCKER_HOST and its TLS variables, read by dockerode itself.
		return [{name: engineName(where.environment), docker: new Docker()}];
	}

	return choices.map(choice => {
		const {name, pingOptions} = reached(choice, where.environment);
		return {name, docker: new Docker(pingOptions)};
	});
}
