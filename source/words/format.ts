import type {TestStatus} from '../events.js';

/** `32 MiB`, `1.5 GiB`: a size as `--memory` takes it back. */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${Number(value.toFixed(1))} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.round(ms)}ms`;
	}

	const seconds = ms / 1000;
	if (seconds < 60) {
		return `${seconds.toFixed(1)}s`;
	}

	const minutes = Math.floor(seconds / 60);
	return `${minutes}m ${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
}

export const statusMark: Record<TestStatus, string> = {
	passed: '✓',
	flaky: '~',
	failed: '✗',
	'timed-out': '⏱',
	error: '!',
	cancelled: '-',
	quarantined: '◌',
};

export const statusLabel: Record<TestStatus, string> = {
	passed: 'passed',
	flaky: 'flaky',
	failed: 'failed',
	'timed-out': 'timed out',
	error: 'error',
	cancelled: 'cancelled',
	quarantined: 'quarantined',
};

/** A file name as one visible line: control characters (a newline in a name) shown escaped. */
export function printable(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u001F\u007F]/g, character => JSON.stringify(character).slice(1, -1));
}
