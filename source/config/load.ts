import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {LineCounter, parseDocument, isMap, isNode, isScalar, type Document} from 'yaml';
import type {z} from 'zod';
import {BaleenError} from '../errors.js';
import {
	configNames, configSchema, settingsShape, type Config,
} from './schema.js';
import {isOwnWords, valueAt} from '../options/check.js';
import {closest} from './suggest.js';

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

export function displayPath(file: string, cwd: string): string {
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

	if (isOwnWords(issue)) {
		return `${where(issue.path)}${keyPath(issue.path)}: ${issue.message}`;
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

	const {projects = {}, ...defaults} = result.data;
	return {file: absolute, directory: path.dirname(absolute), defaults, projects};
}

/** The config file the flags point at: `--config`, else the nearest one; none is fine unless a project is asked for. */
export function configFor(flags: {config?: string; project?: string}, cwd: string = process.cwd()): Config | undefined {
	const file = flags.config ?? findConfig(cwd);
	if (file === undefined) {
		if (flags.project !== undefined) {
			throw new BaleenError(`--project ${flags.project} needs a config file, but there is no ${configNames.join(' or ')} in ${cwd} or above; name one with --config FILE`);
		}

		return undefined;
	}

	return loadConfig(file, cwd);
}
