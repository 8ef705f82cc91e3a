import path from 'node:path';
import {BaleenError} from '../errors.js';
import {
	parseConcurrency, parseMount, parseTimeout, type RunOptions,
} from '../options.js';
import {configFor, displayPath} from './load.js';
import {
	configNames, type Config, type Flags, type Settings,
} from './schema.js';

/** One layer of settings, with paths made absolute and values in the form `RunOptions` takes. */
type Layer = {
	patterns?: string[];
	/** Where relative patterns of this layer are taken from. */
	base: string;
	image?: string;
	command?: string;
	concurrency?: number;
	workdir?: string;
	before?: string;
	env?: string[];
	mounts?: string[];
	timeoutSeconds?: number;
	findInImage?: boolean;
	build?: string;
	network?: string;
	freshNetwork?: boolean;
};

function list(value: string | string[] | undefined): string[] | undefined {
	return value === undefined ? undefined : (Array.isArray(value) ? value : [value]);
}

function envList(env: Settings['env']): string[] | undefined {
	if (env === undefined || Array.isArray(env)) {
		return env;
	}

	return Object.entries(env).map(([key, value]) => `${key}=${String(value)}`);
}

function fromSettings(settings: Settings, config: Config, label: string, cwd: string): Layer {
	const at = (key: string, error: unknown) => {
		throw new BaleenError(`${displayPath(config.file, cwd)}: ${label}${key}: ${(error as Error).message}`);
	};

	const layer: Layer = {base: config.directory};
	layer.patterns = list(settings.patterns);
	layer.image = settings.image;
	layer.command = settings.command;
	layer.concurrency = settings.concurrency;
	layer.workdir = settings.workdir;
	layer.before = settings.before;
	layer.env = envList(settings.env);
	try {
		layer.mounts = list(settings.mount)?.map(entry => parseMount(entry, config.directory));
	} catch (error) {
		at('mount', error);
	}

	try {
		layer.timeoutSeconds = settings.timeout === undefined ? undefined : parseTimeout(settings.timeout);
	} catch (error) {
		at('timeout', error);
	}

	layer.findInImage = settings['find-in-image'];
	layer.build = settings.build === undefined ? undefined : path.resolve(config.directory, settings.build);
	layer.network = settings.network;
	layer.freshNetwork = settings['fresh-network'];
	return layer;
}

function fromFlags(patterns: readonly string[], flags: Flags, cwd: string): Layer {
	return {
		base: cwd,
		patterns: patterns.length > 0 ? [...patterns] : undefined,
		image: flags.image,
		command: flags.command,
		concurrency: flags.concurrency === undefined ? undefined : parseConcurrency(flags.concurrency),
		workdir: flags.workdir,
		before: flags.before,
		env: flags.env?.length ? flags.env : undefined,
		mounts: flags.mount?.length ? flags.mount.map(entry => parseMount(entry, cwd)) : undefined,
		timeoutSeconds: flags.timeout === undefined ? undefined : parseTimeout(flags.timeout),
		findInImage: flags.findInImage,
		build: flags.build === undefined ? undefined : path.resolve(cwd, flags.build),
		network: flags.network,
		freshNetwork: flags.freshNetwork,
	};
}

/** Later entries win for the same key: `KEY=…` for env, the container path for mounts. */
function mergeBy(key: (entry: string) => string, ...lists: Array<string[] | undefined>): string[] | undefined {
	const given = lists.filter(entry => entry !== undefined);
	if (given.length === 0) {
		return undefined;
	}

	const merged = new Map<string, string>();
	for (const entry of given.flat()) {
		merged.delete(key(entry));
		merged.set(key(entry), entry);
	}

	return [...merged.values()];
}

const envKey = (entry: string) => entry.split('=')[0]!;
const mountTarget = (entry: string) => entry.split(':')[1]!;

/**
Top-level defaults, then the project, then the flags: a later layer's value wins; `env` and `mount`
merge by variable name and container path; `patterns` given later replace earlier ones.
*/
function merge(layers: Layer[]): Omit<RunOptions, 'runId'> {
	const last = <K extends keyof Layer>(key: K): Layer[K] | undefined => layers.findLast(layer => layer[key] !== undefined)?.[key];
	const patternLayer = layers.findLast(layer => layer.patterns !== undefined);
	const options: Omit<RunOptions, 'runId'> = {
		patterns: patternLayer?.patterns ?? [],
		cwd: patternLayer?.base ?? layers.at(-1)!.base,
		image: last('image') ?? '',
		command: last('command') ?? '',
		concurrency: last('concurrency'),
		workdir: last('workdir'),
		before: last('before'),
		env: mergeBy(envKey, ...layers.map(layer => layer.env)),
		mounts: mergeBy(mountTarget, ...layers.map(layer => layer.mounts)),
		timeoutSeconds: last('timeoutSeconds'),
		findInImage: last('findInImage'),
		build: last('build'),
		network: last('network'),
		freshNetwork: last('freshNetwork'),
	};
	return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Omit<RunOptions, 'runId'>;
}

/** The run the command line asks for: the config file's defaults, the project's settings, then the flags. */
export function resolveOptions(patterns: readonly string[], flags: Flags, cwd: string = process.cwd()): {options: Omit<RunOptions, 'runId'>; config?: Config} {
	const config = configFor(flags, cwd);
	const layers: Layer[] = [];
	if (config) {
		layers.push(fromSettings(config.defaults, config, '', cwd));
		if (flags.project !== undefined) {
			const project = Object.hasOwn(config.projects, flags.project) ? config.projects[flags.project] : undefined;
			if (!project) {
				const names = Object.keys(config.projects);
				throw new BaleenError(`no project "${flags.project}" in ${displayPath(config.file, cwd)}; ${names.length > 0 ? `it has ${names.join(', ')}` : 'it has no projects'}`);
			}

			layers.push(fromSettings(project, config, `projects.${flags.project}.`, cwd));
		}
	}

	layers.push(fromFlags(patterns, flags, cwd));
	const options = merge(layers);
	const names = Object.keys(config?.projects ?? {});
	if (!options.image && config && flags.project === undefined && names.length > 0) {
		throw new BaleenError(`no image to run in: pick a project of ${displayPath(config.file, cwd)} with --project NAME (${names.join(', ')}), or give --image`);
	}

	return {options, ...(config && {config})};
}

/** `--list-projects`: one line a project, with what it runs. */
export function projectLines(flags: Pick<Flags, 'config'>, cwd: string = process.cwd()): string[] {
	const config = configFor(flags, cwd);
	if (!config) {
		throw new BaleenError(`--list-projects found no ${configNames.join(' or ')} in ${cwd} or above; name one with --config FILE`);
	}

	const names = Object.keys(config.projects);
	const shown = displayPath(config.file, cwd);
	if (names.length === 0) {
		return [`${shown} has no projects`];
	}

	const width = Math.max(...names.map(name => name.length));
	return [`Projects in ${shown}:`, ...names.map(name => {
		const settings = {...config.defaults, ...config.projects[name]};
		const patterns = list(settings.patterns)?.join(' ') ?? '(no patterns)';
		const details = [
			settings.image ?? '(no image)',
			settings['find-in-image'] ? `${patterns} (in the image)` : patterns,
			...(settings.build ? [`built from ${settings.build}`] : []),
		];
		return `  ${name.padEnd(width)}  ${details.join(' · ')}`;
	})];
}
