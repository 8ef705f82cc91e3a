import {filter, map, mergeMap} from 'rxjs';
import {streamReporter, type Reporter} from './reporter.js';

/**
What a person waiting for the run to start should see on stderr: `--build`'s own output, a line at a
time, and what the backend could not do as asked (`run-start`'s notes). JSON lines leave the first
out and carry the second in `run-start`.
*/
export function buildOutputReporter(stream: Pick<NodeJS.WritableStream, 'write'>): Reporter {
	return streamReporter(stream, events$ => events$.pipe(
		filter(event => event.type === 'build-output' || event.type === 'run-start'),
		mergeMap(event => (event.type === 'build-output' ? [event.line] : (event.notes ?? []).map(note => `baleen: ${note}`))),
		map(line => `${line}\n`),
	));
}
