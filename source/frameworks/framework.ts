import type {TestCase} from '../events.js';
import type {ResultsFormat} from '../results/registry.js';

/**
Where a framework's program may be in an image, tried in this order by one container at the start
of the run (see lookup.ts):
- `node`: `node_modules/.bin/NAME` in the working directory or a folder above it, run by the image's
  `node` (a package's bin is a script whose `#!/usr/bin/env node` a slim image cannot run);
- `path`: `NAME` on the image's PATH;
- `python`: the module NAME run by the first of `python3`, `python` that can import it.
*/
export type Candidate = {node: string} | {path: string} | {python: string};

/**
One test framework as a preset knows it (`baleen cucumber …`): where its files are, how its program is
found, the command that runs one file and writes the framework's own report, and how that report is read.
A new framework is one module like this and one line of the registry.
*/
export type Framework = {
	/** The word that names it: `baleen NAME …`, `framework: NAME`. */
	name: string;
	/** For people, in `--help`: what it is, in a few words. */
	summary: string;
	/**
	Its test files, as the framework itself looks for them: `under` the folder, files that `match`
	(globs relative to that folder; `!GLOB` leaves out). A pattern that names a folder (`--files features/`)
	stands for the files under it that `match`. Files of several names are one glob
	(`**\/{test_*.py,*_test.py}`): each glob is a pattern of the run, and one that matches nothing is said.
	*/
	files: {under: string; match: readonly string[]};
	/** Where its program may be, in the order tried. */
	program: readonly Candidate[];
	/**
	The command that runs one file, for the shell of the image (see command.ts): `{program}` stands for
	the program found (quoted), `{args}` for the arguments after `--`, `{select}` for the file or the
	tests of it that a run takes (see `split`), `{file}` for the file, and `{results}` for the path of the report.
	*/
	command: string;
	/** The framework's own report of the file: where it writes it in the container, and its format. */
	results: {path: string; format: ResultsFormat};
	/** What becomes of a file in which the framework finds no test, in one line for `--help` and the docs. */
	noTests: string;
	/** What the run takes as one "file" from the files found, when that is not each file (go: each package's folder). */
	units?: (files: readonly string[]) => string[];
	/** How a file's tests are picked out, when the framework can run some of a file's tests exactly: a file is then split, and a retry runs only its failed tests. */
	split?: Split;
};

/**
Which tests of a file one run of it takes: `only` these, or all but these (`except`: the part that also
takes the tests no earlier run named, so that none is left out). Tests are named as `Split.unit` names them.
*/
export type Selection = {only: readonly string[]} | {except: readonly string[]};

/** How a framework picks out some of a file's tests, by its own filters. */
export type Split = {
	/**
	The test a report's test case is part of, as the filters name it: the unit a file is split by, and
	the key its time is kept under (go: the top-level test of a subtest; pytest: the node id's tail).
	*/
	unit(test: Pick<TestCase, 'name' | 'classname'>, file: string): string;
	/**
	What stands for `{select}` in the framework's command: the file whole (no selection), or exactly the
	tests the selection names of it. Template text: `{file}` for the file and `{program}` for the program
	(`{args}` for the arguments after `--`, where they decide which tests there are: go's build tags),
	every other word shell-quoted (test names are data: `'adds (1+1) [twice]?'`).
	*/
	select(selection: Selection | undefined): string;
};

/** The framework's command with `{select}` filled in: the file whole, or the tests of it that `selection` names. */
export function commandSelecting({command, split}: Pick<Framework, 'command' | 'split'>, selection?: Selection): string {
	return command.replaceAll('{select}', () => split?.select(selection) ?? '{file}');
}

/** The patterns a preset runs when none are given: `features/**\/*.feature`. */
export function defaultPatterns({files: {under, match}}: Pick<Framework, 'files'>): string[] {
	return match.map(glob => (under === '.' ? glob : `${under}/${glob}`));
}
