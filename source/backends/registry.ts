import {BaleenError} from '../errors.js';
import type {ResolvedOptions} from '../options/types.js';
import type {Backend} from './backend.js';
import {docker} from './docker/module.js';
import type {EngineStore} from './docker/leftovers.js';
import type {BackendModule, Capabilities, Where} from './module.js';
import {swarm} from './swarm/module.js';

/** The backends a run may pick by name (`--backend NAME`); a caller with one of its own passes `{...backends, mine}`. */
export type Backends = Readonly<Record<string, BackendModule>>;

/** Every backend baleen has: a new one is its folder and a line here. */
export const backends = {docker, swarm} as const satisfies Backends;

/** The backend of a run that names none. */
export const defaultBackend = 'docker';

/** What a run asks of its backend: its name, and the options a backend may not be able to honour. */
export type Asked = Pick<ResolvedOptions, 'backend' | 'results' | 'artifacts' | 'build' | 'memory' | 'cpus' | 'pidsLimit' | 'keepFailed' | 'isolate' | 'isolateReuse' | 'freshNetwork'>;

/** The backend module a run names; a usage error listing the names there are when there is none. */
export function pickBackend(name: string, registry: Backends = backends): BackendModule {
	const module = Object.hasOwn(registry, name) ? registry[name] : undefined;
	if (!module) {
		throw new BaleenError(`--backend takes ${Object.keys(registry).join(' or ')}, not "${name}"`);
	}

	return module;
}

const limitFlags = [['memory', '--memory'], ['cpus', '--cpus'], ['pidsLimit', '--pids-limit']] as const;

/** Each capability a run may ask for: the options that ask for it, as given, and what it is in a backend's words. */
const needs: ReadonlyArray<{capability: keyof Capabilities; asked: (options: Asked) => string[]; what: string}> = [
	{
		capability: 'copyOut',
		asked: ({results, artifacts}) => [...(results === undefined ? [] : ['--results']), ...(artifacts && artifacts.length > 0 ? ['--artifacts'] : [])],
		what: 'copy files out of a job',
	},
	{capability: 'build', asked: ({build}) => (build === undefined ? [] : ['--build']), what: 'build an image'},
	{capability: 'slotContainers', asked: ({isolate}) => (isolate === 'slot' ? ['--isolate slot'] : []), what: 'run a slot\'s files in one container'},
	{capability: 'commit', asked: ({keepFailed}) => (keepFailed ? ['--keep-failed'] : []), what: 'keep a failed file\'s container as an image'},
	{capability: 'limits', asked: options => limitFlags.flatMap(([key, flag]) => (options[key] === undefined ? [] : [flag])), what: 'hold a job to limits'},
];

/** Why the run's backend cannot do what the run asks, in one line naming both and the backends that can; undefined when it can. */
export function refusal(options: Asked, registry: Backends = backends): string | undefined {
	const {capabilities} = pickBackend(options.backend, registry);
	for (const {capability, asked, what} of needs) {
		const flags = asked(options).join(' and ');
		if (flags && !capabilities[capability]) {
			const able = Object.entries(registry).filter(([, module]) => module.capabilities[capability]).map(([name]) => `--backend ${name}`);
			return `${flags}: the ${options.backend} backend cannot ${what}; leave ${flags} out${able.length > 0 ? `, or run with ${able.join(' or ')}` : ''}`;
		}
	}

	return undefined;
}

/** The backend of a run, as the registry makes it: a usage error when the run asks for what it cannot do, or names engines it cannot reach. */
export function backendFor(options: Asked & Pick<ResolvedOptions, 'engines'>, registry: Backends = backends, environment: NodeJS.ProcessEnv = process.env): Backend {
	const why = refusal(options, registry);
	if (why) {
		throw new BaleenError(why);
	}

	return pickBackend(options.backend, registry).backend({engines: options.engines, environment});
}

/** An engine, and the stores of every backend on it. */
export type EngineStores = {name: string; stores: EngineStore[]};

/**
Where `baleen clean` and the sweep before a run look for what earlier runs left: the stores of every
backend of the registry, on each engine it would use, one entry an engine.
*/
export function leftoverStores(where: Where, registry: Backends = backends): EngineStores[] {
	const found = Object.values(registry).flatMap(module => module.leftovers(where));
	return [...new Set(found.map(({name}) => name))].map(name => ({name, stores: found.filter(store => store.name === name).map(({store}) => store)}));
}
