import {z} from 'zod';
import {closest} from '../../config/suggest.js';
import {defaultResultsFormat, resultsReaders, type ResultsFormat} from '../../results/registry.js';
import {option} from '../declaration.js';

const formats = Object.keys(resultsReaders) as [ResultsFormat, ...ResultsFormat[]];
const choices = `${formats.slice(0, -1).join(', ')} or ${formats.at(-1)!}`;

/** ` (did you mean go-json?)` when a format is near what was given. */
function guess(given: unknown): string {
	const near = typeof given === 'string' ? closest(given, formats) : undefined;
	return near ? ` (did you mean ${near}?)` : '';
}

/** `--results-format FORMAT`: how the `--results` report is read, by its name in the registry of readers; JUnit when absent. */
export const resultsFormat = option({
	name: 'results-format',
	type: 'string',
	value: 'FORMAT',
	help: `How the --results report is read: ${choices}\n(default: ${defaultResultsFormat}; see docs/ci.md for what writes each)`,
	section: 'Options',
	schema: z.enum(formats, {error: issue => `expected ${choices}${guess(issue.input)}`}).optional(),
	wrong: given => `takes ${choices}, not "${given}"${guess(given)}`,
});
