import {closeSync, openSync, readSync, statSync} from 'node:fs';
import path from 'node:path';
import {scan, type Observable} from 'rxjs';
import type {FileResult, RunEvent} from '../events.js';
import {reportPage, type WholeOutput} from '../report/page.js';
import {writeWhole} from '../write-whole.js';
import {writtenOnce, type Reporter} from './reporter.js';

/** How much of each stream of a failed file the page holds: its end, up to this. */
export const pageOutputBytes = 1024 * 1024;

/** The last `limit` bytes of a file, and its size; undefined when it cannot be read. */
function tailOf(file: string, limit: number): {text: string; bytes: number} | undefined {
	try {
		const bytes = statSync(file).size;
		const length = Math.min(bytes, limit);
		const buffer = Buffer.alloc(length);
		const descriptor = openSync(file, 'r');
		try {
			readSync(descriptor, buffer, 0, length, bytes - length);
		} finally {
			closeSync(descriptor);
		}

		return {text: buffer.toString('utf8'), bytes};
	} catch {
		return undefined;
	}
}

/** A file's whole output from its folder of `--output-dir`, linked from a page written to `page`. */
export function wholeOutput(page: string) {
	return (result: FileResult): WholeOutput | undefined => {
		if (!result.outputFolder) {
			return undefined;
		}

		const stdout = tailOf(path.join(result.outputFolder, 'stdout.log'), pageOutputBytes);
		const stderr = tailOf(path.join(result.outputFolder, 'stderr.log'), pageOutputBytes);
		if (!stdout || !stderr) {
			return undefined;
		}

		const href = path.relative(path.dirname(path.resolve(page)), result.outputFolder).split(path.sep).map(part => encodeURIComponent(part)).join('/');
		return {stdout: stdout.text, stderr: stderr.text, stdoutBytes: stdout.bytes, stderrBytes: stderr.bytes, href};
	};
}

/** The events a page is drawn from: all but live output. */
function kept(events$: Observable<RunEvent>): Observable<RunEvent[]> {
	return events$.pipe(scan((all: RunEvent[], event) => {
		if (event.type !== 'test-output' && event.type !== 'build-output') {
			all.push(event);
		}

		return all;
	}, []));
}

/**
`report.html` (`--html FILE`, and in every `--output-dir`): the run as one self-contained page, written
once the run ends (a cancelled one too) or at a forced stop, with what it had.
*/
export function htmlReporter(file: string): Reporter {
	return events$ => writtenOnce(kept(events$), [], {
		ready: events => events.some(event => event.type === 'run-start'),
		write(events) {
			writeWhole(file, reportPage(events, {outputOf: wholeOutput(file)}));
		},
	});
}
