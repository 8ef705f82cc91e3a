import type {CancelSignal} from '../events.js';
import type {Reporter} from './reporter.js';

export const signalName = (signal: CancelSignal) => signal === 'SIGINT' ? 'Ctrl-C' : signal;

/**
What the CLI says on stderr about stopping: that a signal is cancelling (when no view shows it) and
that a forced stop is removing what is left.
*/
export function noticesReporter(stream: Pick<NodeJS.WritableStream, 'write'>, {viewShowsCancel}: {viewShowsCancel: boolean}): Reporter {
	const say = (text: string) => stream.write(`baleen: ${text}\n`);
	return () => ({
		written: Promise.resolve(),
		cancelling(signal) {
			if (!viewShowsCancel) {
				say(`${signalName(signal)}: cancelling, removing running containers (Ctrl-C again to force)`);
			}
		},
		forced() {
			say('forced: removing what is left');
		},
	});
}
