import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import {shellWord} from '../shell-word.js';
import {normalize, searchRoots} from '../discover/image.js';
import {backends} from '../backends/registry.js';
import type {SettingValues} from '../options/types.js';
import {commandSelecting, defaultPatterns, type Framework, type Selection} from './framework.js';

/**
The preset's command once its program is found: `{select}` (the file, or the tests of it that
`selection` names), `{program}` and `{results}` filled in, `{file}` and `{args}` left for the script (see command.ts).
*/
export function presetCommand(framework: Pick<Framework, 'command' | 'split'>, program: readonly string[], results: string, selection?: Selection): string {
	return commandSelecting(framework, selection)
		.replaceAll('{program}', () => program.map(word => shellWord(word)).join(' '))
		.replaceAll('{results}', () => shellWord(results));
}

const isFolder = (file: string) => {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
};

/**
A pattern as a preset takes it: one that names a folder stands for the files under it that the
framework takes (`features/` → `features/**\/*.feature`, as the original baleen's `--files features/`
meant). A folder is a pattern that ends with `/`, or names a folder in `cwd`, or (for a suite in the
image, which the host cannot look into) a plain path whose last part has no dot.
*/
export function presetPatterns({files}: Pick<Framework, 'files'>, patterns: readonly string[], cwd: string, inImage: boolean): string[] {
	return patterns.flatMap(pattern => {
		const plain = !picomatch.scan(pattern).isGlob && !pattern.startsWith('!');
		const folder = plain && (pattern.endsWith('/') || isFolder(path.resolve(cwd, pattern)) || (inImage && !path.posix.basename(normalize(pattern)).includes('.')));
		if (!folder) {
			return [pattern];
		}

		const root = normalize(pattern);
		const under = (glob: string) => (root === '.' || root === '' ? glob : `${root}/${glob}`);
		return files.match.map(glob => (glob.startsWith('!') ? `!${under(glob.slice(1))}` : under(glob)));
	});
}

/** Whether none of the folders the patterns start from is in `cwd`: the suite is not here. */
export function suiteNotHere(patterns: readonly string[], cwd: string): boolean {
	const roots = searchRoots(patterns.filter(pattern => !pattern.startsWith('!')));
	return roots.length > 0 && roots.every(root => !existsSync(path.resolve(cwd, root)));
}

/** What the run itself gave, and where. */
type Given = {
	cwd: string;
	/** The backend's name: the report comes back only if it can copy files out of a job. */
	backend: string;
	/** The files came as a list (`baleen -`): no patterns to take. */
	listed: boolean;
	/** `find-in-image` was set either way, by a flag or baleen.yml: no rule of the preset's decides it. */
	findInImageGiven: boolean;
};

type Values = Pick<SettingValues, 'patterns' | 'command' | 'results' | 'resultsFormat' | 'findInImage'>;

/**
What a preset sets of a run, for what the run does not give itself: the patterns (its own when none are
given, a folder standing for its files), the suite looked for in the image when it is not here, and the
framework's report when the preset's own command runs (an explicit `--command` writes its own, if any:
`--results` says where). Notes say what a person would not expect.
*/
export function withPreset<Run extends Values>(values: Run, framework: Framework, {cwd, backend, listed, findInImageGiven}: Given): {values: Run & Pick<Values, 'results' | 'resultsFormat'>; notes: string[]} {
	const notes: string[] = [];
	const asked = values.patterns.length > 0 ? values.patterns : defaultPatterns(framework);
	const inImage = !listed && !findInImageGiven && suiteNotHere(asked, cwd);
	if (inImage) {
		notes.push(`${asked.filter(pattern => !pattern.startsWith('!')).join(' ')}: not in ${cwd}, so the ${framework.name} files are looked for in the image (as --find-in-image does)`);
	}

	const findInImage = values.findInImage || inImage;
	const {path: reportPath, format} = framework.results;
	const copiesOut = !Object.hasOwn(backends, backend) || backends[backend as keyof typeof backends].capabilities.copyOut;
	const report = values.results === undefined && values.command === undefined;
	if (report && !copiesOut) {
		notes.push(`the ${backend} backend cannot copy files out of a job: each file's tests are not known, only its result`);
	}

	return {
		values: {
			...values,
			patterns: listed ? values.patterns : presetPatterns(framework, asked, cwd, findInImage),
			findInImage,
			...(report && copiesOut && {results: reportPath, resultsFormat: values.resultsFormat ?? format}),
		},
		notes,
	};
}
