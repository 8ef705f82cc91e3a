import {junitReader} from './junit.js';
import type {ResultsReader} from './reader.js';

/** Every format of a framework's report that baleen reads, by the name a run asks for it with. */
export const resultsReaders = {
	junit: junitReader,
} as const satisfies Record<string, ResultsReader>;

export type ResultsFormat = keyof typeof resultsReaders;

/** What `--results` reads when nothing names a format. */
export const defaultResultsFormat: ResultsFormat = 'junit';

export function resultsReader(format: ResultsFormat = defaultResultsFormat): ResultsReader {
	return resultsReaders[format];
}
