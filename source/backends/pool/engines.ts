import type {Backend} from '../backend.js';
import {dockerBackend} from '../docker/backend.js';
import {dockerEngine} from '../docker/dockerode.js';
import {choiceName, type EngineChoice} from './choice.js';
import {reached} from './named.js';
import {poolBackend, type Member} from './pool.js';
import {throughMaster} from './ssh-master.js';

/** One engine as the docker CLI would reach it: a host URL (TLS from the environment) or a context of its store. */
function member(choice: EngineChoice, environment: NodeJS.ProcessEnv): Member {
	const at = reached(choice, environment);
	const engine = dockerEngine(environment, at);
	const backend = dockerBackend(engine);
	return {
		name: at.name,
		backend: at.kept ? throughMaster(backend, at.kept) : backend,
		ping: async () => engine.ping(),
		...(choice.slots !== undefined && {slots: choice.slots}),
	};
}

/** The engines a run names (`--engine`, `engines:`), as one backend; each is looked up when the run is prepared. */
export function enginePool(choices: readonly EngineChoice[], environment: NodeJS.ProcessEnv = process.env): Backend {
	return poolBackend(choices.map(choice => choiceName(choice)).join(', '), () => choices.map(choice => member(choice, environment)));
}
