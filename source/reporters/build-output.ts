import {filter, map} from 'rxjs';
import {streamReporter, type Reporter} from './reporter.js';

/** `--build`'s own output, a line at a time, for the person waiting on it (JSON lines leave it out). */
export function buildOutputReporter(stream: Pick<NodeJS.WritableStream, 'write'>): Reporter {
	return streamReporter(stream, events$ => events$.pipe(
		filter(event => event.type === 'build-output'),
		map(event => `${event.line}\n`),
	));
}
