import {goJsonReader} from './go-json.js';
import {jestJsonReader} from './jest-json.js';
import {junitReader} from './junit.js';
import type {ResultsReader} from './reader.js';
import {rspecJsonReader} from './rspec-json.js';

/** Every format of a framework's report that baleen reads, by the name a run asks for it with. */
export const resultsReaders = {
	junit: junitReader,
	'jest-json': jestJsonReader,
	'rspec-json': rspecJsonReader,
	'go-json': goJsonReader,
} as const satisfies Record<string, ResultsReader>;

export type ResultsFormat = keyof typeof resultsReaders;

/** What `--results` reads when nothing names a format. */
export const defaultResultsFormat: ResultsFormat = 'junit';

export function resultsReader(format: ResultsFormat = defaultResultsFormat): ResultsReader {
	return resultsReaders[format];
}
