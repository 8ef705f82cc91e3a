import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {LineCounter, parseDocument, isMap, isNode, isScalar, type Document} from 'yaml';
import {z} from 'zod';
import {BaleenError} from './errors.js';
import {
	parseConcurrency, parseMount, parseTimeout, type RunOptions,
} from './options.js';

/** Looked for in this order in each folder from the current one up to the root. */
export const configNames = ['baleen.yml', 'baleen.yaml', 'baleen.config.json'] as const;

const projectName = /^[A-Za-z\d][\w.-]*$/;
const timeoutExpected = 'expected seconds greater than 0, e.g. 300 or "300s"';

/** The keys of a config file are the long flag names, so there is one vocabulary (`patterns` stands for the arguments). */
const settingsShape = {
	image: z.string({error: 'expected an image name'}).min(1, {error: 'expected an image name'}),
	command: z.string({error: 'expected a command, e.g. "npm test -- {file}"'}).min(1, {error: 'expected a command, e.g. "npm test -- {file}"'}),
	patterns: z.union([z.string().min(1), z.array(z.string({error: 'expected a glob'}).min(1, {error: 'expected a glob'}))], {error: 'expected a glob or a list of globs'}),
	concurrency: z.int({error: 'expected a whole number of at least 1'}).min(1, {error: 'expected a whole number of at least 1'}),
	workdir: z.string({error: 'expected an absolute path in the container'}).startsWith('/', {error: 'expected an absolute path in the container'}),
	before: z.string({error: 'expected shell commands as text'}),
	env: z.union([
		z.array(z.string({error: 'expected KEY=VALUE or KEY'}).regex(/^[A-Za-z_]\w*(=.*)?$/s, {error: 'expected KEY=VALUE or KEY'})),
		z.record(
			z.string().regex(/^[A-Za-z_]\w*$/, {error: 'expected a variable name'}),
			z.union([z.string(), z.number(), z.boolean()], {error: 'expected text, a number or true/false'}),
		),
	], {error: 'expected a list of KEY=VALUE (or KEY) entries, or a map of KEY: value'}),
	mount: z.union([z.string(), z.array(z.string({error: 'expected SRC:DST[:ro]'}))], {error: 'expected SRC:DST[:ro] or a list of them'}),
	timeout: z.union([
		z.number().positive({error: timeoutExpected}),
		z.string().regex(/^\d+(\.\d+)?s?$/, {error: timeoutExpected}),
	], {error: timeoutExpected}),
	'find-in-image': z.boolean({error: 'expected true or false'}),
	build: z.string({error: 'expected a folder with a Dockerfile'}).min(1, {error: 'expected a folder with a Dockerfile'}),
};

const settingsSchema = z.strictObject(settingsShape).partial();

const configSchema = z.strictObject({
	...settingsSchema.shape,
	projects: z.record(
		z.string().regex(projectName, {error: 'expected a project name of letters, digits, ".", "_" or "-"'}),
		settingsSchema,
		{error: 'expected a map of project names to their settings'},
	),
}).partial();

export type Settings = z.infer<typeof settingsSchema>;
type ConfigData = z.infer<typeof configSchema>;

export type Config = {
	/** Absolute path of the file. */
	file: string;
	/** Relative paths in the file (patterns, mount sources, build) are taken from here. */
	directory: string;
	defaults: Settings;
	projects: Record<string, Settings>;
};

/** The flags as the CLI got them; unset ones are undefined. */
export type Flags = {
	config?: string;
	project?: string;
	image?: string;
	command?: string;
	concurrency?: string;
	workdir?: string;
	before?: string;
	env?: string[];
	mount?: string[];
	timeout?: string;
	findInImage?: boolean;
	build?: string;
};

/** The nearest config file in `cwd` or a folder above it. */
export function findConfig(cwd: string): string | undefined {
	for (let directory = path.resolve(cwd); ; directory = path.dirname(directory)) {
		const found = configNames.map(name => path.join(directory, name)).filter(file => existsSync(file));
		if (found.length > 1) {
			throw new BaleenError(`${found.map(file => path.basename(file)).join(' and ')} are both in ${directory}; keep one`);
		}

		if (found[0]) {
			return found[0];
		}

		if (path.dirname(directory) === directory) {
			return undefined;
		}
	}
}

function displayPath(file: string, cwd: string): string {
	const relative = path.relative(cwd, file);
	return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function keyPath(keys: readonly PropertyKey[]): string {
	return keys.map((key, index) => {
		if (typeof key === 'number') {
			return `[${key}]`;
		}

		const text = String(key);
		const name = /^[\w-]+$/.test(text) ? text : JSON.stringify(text);
		return index === 0 ? name : `.${name}`;
	}).join('') || '(the whole file)';
}

function found(value: unknown): string {
	if (value === undefined) {
		return 'nothing';
	}

	if (value === null) {
		return 'an empty value';
	}

	if (Array.isArray(value)) {
		return `a list (${JSON.stringify(value)})`;
	}

	if (typeof value === 'object') {
		return 'a map';
	}

	return JSON.stringify(value);
}

function valueAt(data: unknown, keys: readonly PropertyKey[]): unknown {
	let value = data;
	for (const key of keys) {
		if (value === null || typeof value !== 'object') {
			return undefined;
		}

		value = (value as Record<PropertyKey, unknown>)[key];
	}

	return value;
}

/** `line:column` of the node at `keys` (or of the key `key` in the map there), when the document knows it. */
function position(document: Document, lines: LineCounter, keys: readonly PropertyKey[], key?: string): string {
	const node = keys.length === 0 ? document.contents : document.getIn(keys as unknown[], true);
	let offset: number | undefined;
	if (key !== undefined && isMap(node)) {
		const pair = node.items.find(item => isScalar(item.key) && String(item.key.value) === key);
		offset = isNode(pair?.key) ? pair.key.range?.[0] : undefined;
	} else if (isNode(node)) {
		offset = node.range?.[0];
	}

	if (offset === undefined) {
		return '';
	}

	const {line, col} = lines.linePos(offset);
	return `:${line}:${col}`;
}

/** Edits (insert, delete, replace, swap two neighbours) from one word to another. */
function distance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : (j === 0 ? i : 0))));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
			}
		}
	}

	return rows[a.length]![b.length]!;
}

/** The known key a misspelt or differently written one (mounts, findInImage, find_in_image) most likely means. */
function closest(word: string, candidates: readonly string[]): string | undefined {
	const normal = (text: string) => text.toLowerCase().replaceAll(/[-_]/g, '');
	const ranked = candidates.map(candidate => ({candidate, edits: distance(normal(word), normal(candidate))})).sort((a, b) => a.edits - b.edits);
	return ranked[0] && ranked[0].edits <= 2 ? ranked[0].candidate : undefined;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, where: (keys: readonly PropertyKey[], key?: string) => string): string {
	if (issue.code === 'unrecognized_keys') {
		const key = issue.keys[0]!;
		const known = [...Object.keys(settingsShape), ...(issue.path.length === 0 ? ['projects'] : [])];
		const guess = closest(key, known);
		const location = where(issue.path, key);
		return `${location}${keyPath([...issue.path, key])}: unknown key${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of ${known.join(', ')}`;
	}

	if (issue.code === 'invalid_key') {
		const name = String(issue.path.at(-1));
		const message = issue.issues[0]?.message ?? issue.message;
		return `${where(issue.path.slice(0, -1), name)}${keyPath(issue.path)}: ${message}, found ${JSON.stringify(name)}`;
	}

	const value = valueAt(data, issue.path);
	return `${where(issue.path)}${keyPath(issue.path)}: ${issue.message}, found ${found(value)}`;
}

function parse(text: string, file: string, shown: string): {data: unknown; document: Document; lines: LineCounter} {
	const lines = new LineCounter();
	const document = parseDocument(text, {lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: true});
	if (file.endsWith('.json')) {
		try {
			return {data: JSON.parse(text) as unknown, document, lines};
		} catch (error) {
			// Node tells the position in some messages only; the YAML parser (JSON is YAML) finds it for the rest.
			const offset = /position (\d+)/.exec((error as Error).message)?.[1];
			const linePos = offset === undefined ? document.errors[0]?.linePos?.[0] : lines.linePos(Number(offset));
			const at = linePos ? `:${linePos.line}:${linePos.col}` : '';
			throw new BaleenError(`${shown}${at}: not valid JSON: ${(error as Error).message}`);
		}
	}

	const [error] = document.errors;
	if (error) {
		const at = error.linePos?.[0] ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '';
		const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
		throw new BaleenError(`${shown}${at}: not valid YAML: ${message}`);
	}

	return {data: document.toJS() as unknown, document, lines};
}

/** Reads and validates a config file; any problem is a `BaleenError` naming the file, the line and the key. */
export function loadConfig(file: string, cwd: string = process.cwd()): Config {
	const absolute = path.resolve(cwd, file);
	const shown = displayPath(absolute, cwd);
	let text: string;
	try {
		if (statSync(absolute).isDirectory()) {
			throw new BaleenError(`--config ${file} is a folder; name the file, e.g. ${path.join(file, configNames[0])}`);
		}

		text = readFileSync(absolute, 'utf8');
	} catch (error) {
		if (error instanceof BaleenError) {
			throw error;
		}

		throw new BaleenError(`cannot read the config file ${shown}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}`);
	}

	const {data, document, lines} = parse(text, absolute, shown);
	// An empty file is an empty config.
	const result = configSchema.safeParse(data ?? {});
	if (!result.success) {
		const where = (keys: readonly PropertyKey[], key?: string) => `${shown}${position(document, lines, keys, key)}: `;
		const [issue] = result.error.issues;
		const message = data !== null && (Array.isArray(data) || typeof data !== 'object')
			? `${shown}: expected a map of settings (image, command, …) and projects, found ${found(data)}`
			: describeIssue(issue!, data, where);
		const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem${result.error.issues.length > 2 ? 's' : ''})` : '';
		throw new BaleenError(`${message}${more}`);
	}

	const {projects = {}, ...defaults} = result.data satisfies ConfigData;
	return {file: absolute, directory: path.dirname(absolute), defaults, projects};
}

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
	};
	return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Omit<RunOptions, 'runId'>;
}

/** The config file the flags point at: `--config`, else the nearest one; none is fine unless a project is asked for. */
export function configFor(flags: Pick<Flags, 'config' | 'project'>, cwd: string = process.cwd()): Config | undefined {
	const file = flags.config ?? findConfig(cwd);
	if (file === undefined) {
		if (flags.project !== undefined) {
			throw new BaleenError(`--project ${flags.project} needs a config file, but there is no ${configNames.join(' or ')} in ${cwd} or above; name one with --config FILE`);
		}

		return undefined;
	}

	return loadConfig(file, cwd);
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

