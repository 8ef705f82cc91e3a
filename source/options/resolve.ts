import {randomUUID} from 'node:crypto';
import {BaleenError} from '../errors.js';
import {configFor, displayPath} from '../config/load.js';
import {configNames, type Config, type Settings} from '../config/schema.js';
import {historyFiles, type History} from '../plan/history.js';
import {frameworks} from '../frameworks/registry.js';
import {withPreset} from '../frameworks/preset.js';
import {checked} from './check.js';
import {isolateRefusal} from './settings/isolate.js';
import {queueRefusal} from './settings/queue.js';
import {quarantineListFor} from './settings/quarantine.js';
import type {Setting} from './declaration.js';
import {camelCase, commandRequired, settings, type SettingKey} from './table.js';
import type {ResolvedOptions, RunOptions, SettingValues} from './types.js';

/** One source of settings: the config file's top level, a project, the flags, or the API's `RunOptions`. */
type Layer = {
	/** Each option's value as this source gave it, checked, by its `RunOptions` key. */
	values: Partial<Record<SettingKey, unknown>>;
	/** Where this layer's relative paths and patterns are taken from. */
	base: string;
	/** Put before the key when one of its values is wrong: `baleen.yml: projects.cart.`; empty for flags. */
	where: string;
};

/** The flags as the command line parser gives them, by camel-cased name; unset ones are undefined. */
export type Flags = Partial<Record<string, string | boolean | string[]>> & {config?: string; project?: string};

const given = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);

function layer(values: (setting: Setting, key: SettingKey) => unknown, base: string, where: string): Layer {
	const layer: Layer = {values: {}, base, where};
	for (const {key, setting} of settings) {
		const value = values(setting, key);
		if (given(value)) {
			layer.values[key] = value;
		}
	}

	return layer;
}

/** A layer of values as a flag or the API gives them: each checked here, in the flag's words. */
function checkedLayer(values: (setting: Setting, key: SettingKey) => unknown, base: string): Layer {
	return layer((setting, key) => {
		const value = values(setting, key);
		return given(value) ? checked(setting, value) : undefined;
	}, base, '');
}

/** What a value means where it was written; a wrong one says in which layer, unless that is the flags. */
function meant<T>(from: Layer, setting: Setting, meaning: () => T): T {
	try {
		return meaning();
	} catch (error) {
		if (from.where === '' || !(error instanceof BaleenError)) {
			throw error;
		}

		throw new BaleenError(`${from.where}${setting.configName ?? setting.name}: ${error.message}`);
	}
}

/**
Each option from the last layer that gives it, meaning what it means in that layer (so a relative path
is taken from where it was written); lists that merge take each entry from the last layer naming its key.
*/
function merged(layers: readonly Layer[]): Partial<Record<SettingKey, unknown>> {
	const values: Partial<Record<SettingKey, unknown>> = {};
	for (const {key, setting} of settings) {
		const giving = layers.filter(from => from.values[key] !== undefined);
		const {merge} = setting;
		if (merge) {
			const entries = new Map<string, {entry: string; from: Layer}>();
			for (const from of giving) {
				for (const entry of [from.values[key]].flat().map(String)) {
					entries.delete(merge.key(entry));
					entries.set(merge.key(entry), {entry, from});
				}
			}

			values[key] = [...entries.values()].map(({entry, from}) => meant(from, setting, () => merge.meaning(entry, from.base)));
			continue;
		}

		const from = giving.at(-1);
		const {meaning} = setting;
		if (from) {
			values[key] = meaning ? meant(from, setting, () => meaning(from.values[key], from.base)) : from.values[key];
		}
	}

	return values;
}

/** Each option's value, its default (or a complaint when it is required) where no layer gives one. */
function withDefaults(values: Partial<Record<SettingKey, unknown>>): SettingValues {
	const all = Object.fromEntries(settings
		.map(({key, setting}) => [key, values[key] ?? checked(setting, undefined)] as const)
		.filter(([, value]) => value !== undefined));
	// Each value came out of its setting's schema: the one place the table's types meet what a loop built.
	return all as SettingValues;
}

/** Beyond the layers: the project whose history it is, the folder its history is kept in, a list of files given as such. */
type Extra = {runId?: string; project?: string; historyBase: string; files?: readonly string[]};

const negated = (pattern: string) => pattern.startsWith('!');

/** The backend the last layer that names one names: `--swarm` is `--backend swarm`, and both at once must agree. */
function chosenBackend(layers: readonly Layer[], fallback: string): string {
	const from = layers.findLast(from => from.values.backend !== undefined || from.values.swarm !== undefined);
	const {backend, swarm} = from?.values ?? {};
	if (swarm === true && backend !== undefined && backend !== 'swarm') {
		throw new BaleenError(`${from!.where}--swarm and --backend ${String(backend)} name two backends; give one`);
	}

	return typeof backend === 'string' ? backend : (swarm === true ? 'swarm' : fallback);
}

/** The options of a run from its layers, later ones winning; fails with a `BaleenError` on the first wrong value. */
function resolve(layers: readonly Layer[], {runId, project, historyBase, files}: Extra): ResolvedOptions {
	const values = withDefaults(merged(layers));
	// Options that cannot go together, each refused by its own setting; what a backend cannot do is its capabilities' (backends/registry.ts).
	const refused = (values.artifacts && values.outputDir === undefined ? '--artifacts needs --output-dir DIR to copy them into' : undefined)
		?? isolateRefusal(values) ?? queueRefusal(values);
	if (refused) {
		throw new BaleenError(refused);
	}

	const patternLayer = layers.findLast(from => from.values.patterns !== undefined);
	const cwd = patternLayer?.base ?? layers.at(-1)!.base;
	const backend = chosenBackend(layers, values.backend);
	const preset = values.framework === undefined
		? {values, notes: []}
		: withPreset(values, frameworks[values.framework], {
			cwd, backend, listed: files !== undefined, findInImageGiven: layers.some(from => from.values.findInImage !== undefined),
		});
	if (values.command === undefined && values.framework === undefined) {
		throw new BaleenError(`--command ${commandRequired}`);
	}

	const {patterns} = preset.values;
	const quarantineList = quarantineListFor(values.quarantine, historyBase, file => displayPath(file, cwd));
	return {
		...preset.values,
		resolved: true,
		patterns: patterns.filter(pattern => !negated(pattern)),
		// `!GLOB` among the patterns leaves files out, on the host and in the image alike.
		exclude: [...values.exclude, ...patterns.filter(pattern => negated(pattern)).map(pattern => pattern.slice(1))],
		...(files && {files}),
		history: historyFiles(historyBase, project ?? 'default', values.timings, values.shard),
		...(quarantineList && {quarantineList}),
		cwd,
		backend,
		runId: runId ?? randomUUID().slice(0, 8),
		...(preset.notes.length > 0 && {notes: preset.notes}),
	};
}

/** The programmatic API's options, checked once; already resolved ones pass as they are. */
export function resolveRunOptions(options: RunOptions | ResolvedOptions): ResolvedOptions {
	if ('resolved' in options) {
		return options;
	}

	const cwd = options.cwd ?? process.cwd();
	const values: Partial<Record<string, unknown>> = options;
	return resolve([checkedLayer((_, key) => values[key], cwd)], {
		runId: options.runId, project: options.project, historyBase: cwd, files: options.files,
	});
}

function fromSettings(values: Settings, config: Config, where: string): Layer {
	const byName: Partial<Record<string, unknown>> = values;
	return layer(setting => byName[setting.configName ?? setting.name], config.directory, where);
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

	layers.push(checkedLayer(setting => (setting.name === 'patterns' ? patterns : flags[camelCase(setting.name)]), cwd));
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
	const {timings} = merged(layers);
	return historyFiles(config?.directory ?? cwd, flags.project ?? 'default', typeof timings === 'string' ? timings : undefined);
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
		const patterns = settings.patterns?.join(' ') ?? (settings.framework ? `(the ${settings.framework} preset's patterns)` : '(no patterns)');
		const details = [
			settings.image ?? '(no image)',
			...(settings.framework ? [settings.framework] : []),
			settings['find-in-image'] ? `${patterns} (in the image)` : patterns,
			...(settings.build ? [`built from ${settings.build}`] : []),
		];
		return `  ${name.padEnd(width)}  ${details.join(' · ')}`;
	})];
}
