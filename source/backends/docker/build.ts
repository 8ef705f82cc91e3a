import {readFile, readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';
import {errorMessage, type Engine} from './engine.js';
import {BaleenError} from '../../errors.js';

/** Sent even when `.dockerignore` names them, as `docker build` does: the engine needs them. */
const alwaysSent = new Set(['Dockerfile', '.dockerignore']);
/** baleen's own records (timings, the last run): they change every run, so sending them would make every build miss the cache. */
const neverSent = /^\.baleen(\/|$)/;

/**
The files of a build context as `docker build` would send them: every file and symlink below the
folder, relative and `/`-separated, less what `.dockerignore` excludes (with Docker's rules, `!`
exceptions included, since each path is checked on its own) and baleen's own `.baleen/` folder.
*/
export async function contextFiles(directory: string): Promise<string[]> {
	let rules = '';
	try {
		rules = await readFile(path.join(directory, '.dockerignore'), 'utf8');
	} catch {}

	// A CommonJS module whose types declare a default export: its factory is `module.exports.default` as well.
	const ignore = dockerignore.default({ignorecase: false}).add(rules);
	const entries = await readdir(directory, {recursive: true, withFileTypes: true});
	return entries
		.filter(entry => !entry.isDirectory())
		.map(entry => path.relative(directory, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
		.filter(file => alwaysSent.has(file) || (!neverSent.test(file) && !ignore.ignores(file)))
		.sort();
}

export type BuildJob = {
	/** The folder holding the Dockerfile. */
	directory: string;
	tag: string;
	labels: Record<string, string>;
	signal?: AbortSignal;
};

/** Builds the folder's Dockerfile and tags it; a failed build is a `BaleenError` carrying the build's own message. */
export async function buildImage({directory, tag, labels, signal}: BuildJob, engine: Engine, onLine: (line: string) => void): Promise<void> {
	const isDirectory = await stat(directory).then(stats => stats.isDirectory(), () => false);
	if (!isDirectory) {
		throw new BaleenError(`--build ${directory}: there is no such folder`);
	}

	const files = await contextFiles(directory);
	if (!files.includes('Dockerfile')) {
		throw new BaleenError(`--build ${directory}: there is no Dockerfile in it`);
	}

	try {
		await engine.build({directory, files}, tag, {labels, onLine, signal});
	} catch (error) {
		throw new BaleenError(`--build ${directory} failed: ${errorMessage(error)}`);
	}
}
