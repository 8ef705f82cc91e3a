import type {RunEvent} from '../events.js';

/** One event as one line of JSON; live output (a test's, a build's) stays out of the stream (`test-end` carries the tails). */
export function jsonLine(event: RunEvent): string | undefined {
	return event.type === 'test-output' || event.type === 'build-output' ? undefined : `${JSON.stringify(event)}\n`;
}
