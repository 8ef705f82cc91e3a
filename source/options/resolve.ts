import {randomUUID} from 'node:crypto';
import {defaultBackend} from '../backends/registry.js';
import {BaleenError} from '../errors.js';
import {configFor, displayPath} from '../config/load.js';
import {configNames, type Config, type Settings} from '../config/schema.js';
import {historyFiles, type History} from '../plan/history.js';
import type {Shard} from '../plan/shard.js';
import {defaultEngineWaitSeconds, defaultTimeoutSeconds, requireText} from './parse.js';
import {camelCase, declarations, type Declaration} from './table.js';
import type {ResolvedOptions, RunOptions} from './types.js';

type OptionKey = keyof RunOptions;

/** One source of settings: the config file's top level, a project, the flags, or the API's `RunOptions`. */
type Layer = {
	/** Each option's value as this source gave it, by its `RunOptions` key. */
	values: Partial<Record<OptionKey, unknown>>;
	/** Where this layer's relative paths and patterns are taken from. */
	base: string;
	/** Put before the key when one of its values is wrong: `baleen.yml: projects.cart.`; empty for flags. */
	where: string;
};

/** The flags as the command line parser gives them, by camel-cased name; unset ones are undefined. */
export type Flags = Partial<Record<string, string | boolean | string[]>> & {config?: string; project?: string};

const given = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);

function layer(values: (declaration: Declaration) => unknown, base: string, where: string): Layer {
	const layer: Layer = {values: {}, base, where};
	for (const declaration of declarations) {
		const value = values(declaration);
		if (declaration.key && given(value)) {
			layer.values[declaration.key] = value;
		}
	}

	return layer;
}

function parsed<T>(from: Layer, declaration: Declaration, parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		if (from.where === '' || !(error instanceof BaleenError)) {
			throw error;
		}

		throw new BaleenError(`${from.where}${declaration.configName ?? declaration.name}: ${error.message}`);
	}
}

/**
Each option from the last layer that gives it, parsed once, in its own layer (so a relative path is
taken from where it was written); lists that merge take each entry from the last layer naming its key.
*/
function merged(layers: readonly Layer[]): Partial<Record<OptionKey, unknown>> {
	const values: Partial<Record<OptionKey, unknown>> = {};
	for (const declaration of declarations) {
		const {key, merge, parse} = declaration;
		if (!key) {
			continue;
		}

		if (merge) {
			const entries = new Map<string, {entry: string; from: Layer}>();
			for (const from of layers.filter(from => from.values[key] !== undefined)) {
				for (const entry of merge.entries(from.values[key])) {
					entries.delete(merge.key(entry));
					entries.set(merge.key(entry), {entry, from});
				}
			}

			values[key] = [...entries.values()].map(({entry, from}) => parsed(from, declaration, () => merge.parse(entry, from.base)));
			continue;
		}

		const from = layers.findLast(from => from.values[key] !== undefined);
		if (from) {
			values[key] = parsed(from, declaration, () => (parse ? parse(from.values[key], from.base) : from.values[key]));
		}
	}

	return values;
}

/** Beyond the layers: the project whose history it is, the folder its history is kept in, a list of files given as such. */
type Extra = {runId?: string; project?: string; historyBase: string; files?: readonly string[]};

const negated = (pattern: string) => pattern.startsWith('!');
function artifactsInto(artifacts: readonly string[] | undefined, outputDir: string | undefined): Pick<ResolvedOptions, 'artifacts'> {
	if (!artifacts || artifacts.length === 0) {
		return {};
	}

	if (outputDir === undefined) {
		throw new BaleenError('--artifacts needs --output-dir DIR to copy them into');
	}

	return {artifacts};
}

/** The backend the last layer that names one names: `--swarm` is `--backend swarm`, and both at once must agree. */
function chosenBackend(layers: readonly Layer[]): string {
	const from = layers.findLast(from => from.values.backend !== undefined || from.values.swarm !== undefined);
	const {backend, swarm} = (from?.values ?? {}) as Partial<RunOptions>;
	if (swarm && backend !== undefined && backend !== 'swarm') {
		throw new BaleenError(`${from!.where}--swarm and --backend ${backend} name two backends; give one`);
	}

	return backend ?? (swarm ? 'swarm' : defaultBackend);
}

/** The options of a run from its layers, later ones winning; fails with a `BaleenError` on the first wrong value. */
function resolve(layers: readonly Layer[], {runId, project, historyBase, files}: Extra): ResolvedOptions {
	const values = merged(layers) as Partial<RunOptions> & Pick<ResolvedOptions, 'env' | 'mounts'>;
	const patternLayer = layers.findLast(from => from.values.patterns !== undefined);
	const patterns = values.patterns ?? [];
	return {
		resolved: true,
		patterns: patterns.filter(pattern => !negated(pattern)),
		// `!GLOB` among the patterns leaves files out, on the host and in the image alike.
		exclude: [...(values.exclude ?? []), ...patterns.filter(pattern => negated(pattern)).map(pattern => pattern.slice(1))],
		...(files && {files}),
		...(values.shard !== undefined && {shard: values.shard as Shard}),
		lastFailed: values.lastFailed ?? false,
		history: historyFiles(historyBase, project ?? 'default', values.timings, values.shard as Shard | undefined),
		cwd: patternLayer?.base ?? layers.at(-1)!.base,
		image: requireText(values.image, '--image', 'my-tests:latest'),
		command: requireText(values.command, '--command', '"npm test -- {file}"'),
		...(values.concurrency !== undefined && {concurrency: values.concurrency}),
		...(values.workdir !== undefined && {workdir: values.workdir}),
		...(values.before !== undefined && {before: values.before}),
		env: values.env,
		mounts: values.mounts,
		timeoutSeconds: values.timeoutSeconds ?? defaultTimeoutSeconds,
		findInImage: values.findInImage ?? false,
		...(values.build !== undefined && {build: values.build}),
		...(values.network !== undefined && {network: values.network}),
		...(values.junit !== undefined && {junit: values.junit}),
		...(values.engines !== undefined && {engines: values.engines}),
		...(values.results !== undefined && {results: values.results}),
		...(values.outputDir !== undefined && {outputDir: values.outputDir}),
		...artifactsInto(values.artifacts, values.outputDir),
		freshNetwork: values.freshNetwork ?? false,
		retries: values.retries ?? 0,
		failOnFlaky: values.failOnFlaky ?? false,
		...(values.bail !== undefined && {bail: values.bail}),
		engineWaitSeconds: values.engineWaitSeconds ?? defaultEngineWaitSeconds,
		swarm: values.swarm ?? false,
		backend: chosenBackend(layers),
		limits: {
			...(values.memory !== undefined && {memoryBytes: values.memory as number}),
			...(values.cpus !== undefined && {cpus: values.cpus}),
			...(values.pidsLimit !== undefined && {pidsLimit: values.pidsLimit}),
		},
		runId: runId ?? randomUUID().slice(0, 8),
	};
}

/** The programmatic API's options, checked once; already resolved ones pass as they are. */
export function resolveRunOptions(options: RunOptions | ResolvedOptions): ResolvedOptions {
	if ('resolved' in options) {
		return options;
	}

	const cwd = options.cwd ?? process.cwd();
	const values = options as Partial<Record<OptionKey, unknown>>;
	return resolve([layer(declaration => declaration.key && values[declaration.key], cwd, '')], {
		runId: options.runId, project: options.project, historyBase: cwd, files: options.files,
	});
}

function fromSettings(settings: Settings, config: Config, where: string): Layer {
	return layer(declaration => settings[declaration.configName ?? declaration.name], config.directory, where);
}

/** The layers of the command line: the config file's defaults, the project's settings, then the flags. */
function commandLayers(patterns: readonly string[], flags: Flags, cwd: string): {layers: Layer[]; config?: Config} {
	const config = configFor(flags, cwd);
	const layers: Layer[] = [];
	if (config) {
		const shown = displayPath(config.file, cwd);
		layers.push(fromSettings(config.defaults, config, `${shown}: `));
		if (flags.project !== undefined) {
			const project = Object.hasOwn(config.projects, flags.project) ? config.projects[flags.project] : undefined;
			if (!project) {
				const names = Object.keys(config.projects);
				throw new BaleenError(`no project "${flags.project}" in ${shown}; ${names.length > 0 ? `it has ${names.join(', ')}` : 'it has no projects'}`);
			}

			layers.push(fromSettings(project, config, `${shown}: projects.${flags.project}.`));
		}
	}

	layers.push(layer(declaration => (declaration.name === 'patterns' ? patterns : flags[camelCase(declaration.name)]), cwd, ''));
	return {layers, ...(config && {config})};
}

/** The run the command line asks for: the config file's defaults, the project's settings, then the flags. */
export function resolveOptions(patterns: readonly string[], flags: Flags, cwd: string = process.cwd(), files?: readonly string[]): {options: ResolvedOptions; config?: Config} {
	const {layers, config} = commandLayers(patterns, flags, cwd);
	if (config) {
		const names = Object.keys(config.projects);
		const image = layers.some(from => from.values.image !== undefined);
		if (!image && flags.project === undefined && names.length > 0) {
			throw new BaleenError(`no image to run in: pick a project of ${displayPath(config.file, cwd)} with --project NAME (${names.join(', ')}), or give --image`);
		}
	}

	return {options: resolve(layers, {project: flags.project, historyBase: config?.directory ?? cwd, files}), ...(config && {config})};
}

/** Where the command line's project keeps its history (`baleen timings merge`), with no run to resolve. */
export function historyFor(flags: Flags, cwd: string = process.cwd()): History {
	const {layers, config} = commandLayers([], flags, cwd);
	const {timings} = merged(layers) as Partial<RunOptions>;
	return historyFiles(config?.directory ?? cwd, flags.project ?? 'default', timings);
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
		const patterns = settings.patterns === undefined ? '(no patterns)' : [settings.patterns].flat().join(' ');
		const details = [
			settings.image ?? '(no image)',
			settings['find-in-image'] ? `${patterns} (in the image)` : patterns,
			...(settings.build ? [`built from ${settings.build}`] : []),
		];
		return `  ${name.padEnd(width)}  ${details.join(' · ')}`;
	})];
}
