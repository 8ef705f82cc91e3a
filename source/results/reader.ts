import type {TestCase} from '../events.js';

/**
How one test framework's own report of a file is read (`--results`): where the report is, and how its
text becomes the file's tests. A format is one module like this and one line of the registry.
*/
export type ResultsReader = {
	/** Where the framework writes it: a file in the container, the path `--results` names, brought out once the file ends. */
	from: 'file';
	/** The name the report is kept under in a file's folder of `--output-dir`. */
	keptAs: string;
	/** Each test the report names, or why it cannot be read; `path`, where the report was, names it in that why. */
	read(text: string, path: string): TestCase[] | {problem: string};
};
