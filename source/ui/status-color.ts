import type {TestStatus} from '../events.js';

/** One colour a status everywhere in the terminal view; without colour the marks and words still tell them apart. */
export const statusColor: Record<TestStatus, string> = {
	passed: 'green',
	flaky: 'cyan',
	failed: 'red',
	'timed-out': 'yellow',
	error: 'magenta',
	cancelled: 'gray',
	quarantined: 'blue',
};
