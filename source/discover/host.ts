import {stat} from 'node:fs/promises';
import path from 'node:path';
import {escapePath, glob} from 'tinyglobby';

async function kind(file: string): Promise<'file' | 'directory' | undefined> {
	try {
		const stats = await stat(file);
		return stats.isDirectory() ? 'directory' : (stats.isFile() ? 'file' : undefined);
	} catch {
		return undefined;
	}
}

/**
A pattern that names an existing file or directory is taken literally, so a file called `a [1].sh`
is found by its own name; anything else is a glob. Directories stand for every file below them.
*/
async function asGlob(pattern: string, cwd: string): Promise<string> {
	const relative = path.relative(cwd, path.resolve(cwd, pattern)).split(path.sep).join('/');
	switch (await kind(path.resolve(cwd, pattern))) {
		case 'file': {
			return escapePath(relative);
		}

		case 'directory': {
			return `${relative === '' ? '' : `${escapePath(relative)}/`}**/*`;
		}

		default: {
			return pattern;
		}
	}
}

/** The files the patterns match, relative to `cwd`, each once, in a stable order; `ignore`: globs of what not to walk into or match. */
export async function discover(patterns: readonly string[], cwd: string, ignore: readonly string[] = []): Promise<string[]> {
	const globs = await Promise.all(patterns.map(async pattern => asGlob(pattern, cwd)));
	const files = await glob(globs, {cwd, onlyFiles: true, expandDirectories: false, ignore: [...ignore]});
	return [...new Set(files)].sort((a, b) => (a < b ? -1 : (a > b ? 1 : 0)));
}
