import {statSync} from 'node:fs';
import path from 'node:path';
import {normalize} from '../discover/image.js';
import {BaleenError} from '../errors.js';

/** A list of files given on stdin (`baleen -`): NUL-separated when it holds a NUL (`find -print0`), else one a line. */
export function parseFileList(text: string): string[] {
	const entries = text.includes('\0') ? text.split('\0') : text.split(/\r?\n/);
	return [...new Set(entries.filter(entry => entry.trim() !== ''))];
}

/** A list's files as paths relative to `cwd` (`./a` as `a`); every one must be a file there. */
export function listedFiles(files: readonly string[], cwd: string): string[] {
	const relative = [...new Set(files.map(file => path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/')))];
	const missing = relative.filter(file => !isFile(path.resolve(cwd, file)));
	if (missing.length > 0) {
		throw new BaleenError(`the file list names ${missing.length === 1 ? 'a file' : `${missing.length} files`} not found in ${cwd}: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`);
	}

	return relative;
}

function isFile(file: string): boolean {
	try {
		return statSync(file).isFile();
	} catch {
		return false;
	}
}

/** A list's files inside the image (`--find-in-image`): taken as they are, `./a` as `a`. */
export function inImageList(files: readonly string[]): string[] {
	return [...new Set(files.map(file => normalize(file)))];
}

/** `baleen -`: the list read from stdin; `-` must be the only pattern, and stdin not a terminal. */
export async function readFileList(patterns: readonly string[], stdin: NodeJS.ReadableStream & {isTTY?: boolean}): Promise<string[] | undefined> {
	if (!patterns.includes('-')) {
		return undefined;
	}

	if (patterns.length > 1) {
		throw new BaleenError('- reads the list of files from stdin, so it must be the only pattern');
	}

	if (stdin.isTTY) {
		throw new BaleenError('- reads the list of files from stdin, but stdin is a terminal: pipe the list in, e.g. git diff --name-only | baleen - …');
	}

	let text = '';
	for await (const chunk of stdin) {
		text += String(chunk);
	}

	const files = parseFileList(text);
	if (files.length === 0) {
		throw new BaleenError('the list of files on stdin is empty');
	}

	return files;
}
