import path from 'node:path';
import {fileReporter} from './file.js';
import {htmlReporter} from './html.js';
import {jsonLines} from './json-lines.js';
import {junitReporter} from './junit.js';
import type {Reporter} from './reporter.js';

/** What `--output-dir` holds besides each file's own folder (`files/`, written by the run): the JSON lines, the JUnit report and the HTML one. */
export function outputDirReporters(directory: string): Reporter[] {
	return [
		fileReporter(path.join(directory, 'events.jsonl'), jsonLines),
		junitReporter(path.join(directory, 'junit.xml')),
		htmlReporter(path.join(directory, 'report.html')),
	];
}
