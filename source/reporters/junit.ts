import {scan, type Observable} from 'rxjs';
import {isFailure, type FileResult, type RunEnd, type RunEvent, type RunStart} from '../events.js';
import {junitTailBytes, junitXml} from '../junit/xml.js';
import {writeWhole} from '../write-whole.js';
import {writtenOnce, type Reporter} from './reporter.js';

/** What the report needs of a run: its start, each file's result (output kept only where the report shows it), its end. */
type Collected = {start?: RunStart; results: FileResult[]; end?: RunEnd};

/** The end of a stream, as much as the report shows: a result that passed keeps none. */
function forReport(result: FileResult): FileResult {
	const keep = (text: string) => (isFailure(result.status) ? text.slice(-2 * junitTailBytes) : '');
	return {...result, stdout: keep(result.stdout), stderr: keep(result.stderr)};
}

export function collect(events$: Observable<RunEvent>): Observable<Collected> {
	return events$.pipe(scan((collected: Collected, event) => {
		switch (event.type) {
			case 'run-start': {
				return {...collected, start: event};
			}

			case 'test-end': {
				const {schema, type, ...result} = event;
				collected.results.push(forReport(result));
				return collected;
			}

			case 'run-end': {
				return {...collected, end: event};
			}

			default: {
				return collected;
			}
		}
	}, {results: []}));
}

/**
`--junit FILE`: the run as JUnit XML, written once the run ends (a cancelled one too, with what
finished) or at a forced stop. A run that never started (an error before the first file) writes none.
*/
export function junitReporter(file: string): Reporter {
	return events$ => writtenOnce(collect(events$), {results: []}, {
		ready: collected => collected.start !== undefined,
		write({start, results, end}) {
			writeWhole(file, junitXml(start!, results, end));
		},
	});
}
