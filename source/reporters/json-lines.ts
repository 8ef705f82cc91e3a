import {filter, map, type Observable} from 'rxjs';
import type {RunEvent} from '../events.js';
import {streamReporter, type Reporter} from './reporter.js';

/** One event as one line of JSON; live output (a test's, a build's) stays out of the stream (`test-end` carries the tails). */
export function jsonLine(event: RunEvent): string | undefined {
	return event.type === 'test-output' || event.type === 'build-output' ? undefined : `${JSON.stringify(event)}\n`;
}

export function jsonLines(events$: Observable<RunEvent>): Observable<string> {
	return events$.pipe(map(jsonLine), filter(line => line !== undefined));
}

/** The machine-readable stream: a line of JSON per event. */
export function jsonLinesReporter(stream: Pick<NodeJS.WritableStream, 'write'>): Reporter {
	return streamReporter(stream, jsonLines);
}
