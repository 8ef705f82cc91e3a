import type {
	RunEnd, RunEvent, Summary, TestResult, TestStatus,
} from '../events.js';
import {formatDuration, printable, statusLabel, statusMark} from './format.js';

/** A finished file's line in pieces, so that a terminal view can colour the mark and keep the words. */
export function resultParts(result: TestResult): {mark: string; label: string; file: string; details: string} {
	// A timed-out or cancelled file's code is only baleen's kill (137): not worth a word.
	const killed = result.status === 'timed-out' || result.status === 'cancelled';
	const details = [
		...(result.exitCode !== null && result.exitCode !== 0 && !killed ? [`exit ${result.exitCode}`] : []),
		formatDuration(result.durationMs),
		...(result.error ? [result.error] : []),
	];
	return {
		mark: statusMark[result.status],
		label: statusLabel[result.status].padEnd(9),
		file: printable(result.file),
		details: `(${details.join(', ')})`,
	};
}

/** One line for a finished file, as a log would keep it. */
export function resultLine(result: TestResult): string {
	const {mark, label, file, details} = resultParts(result);
	return `${mark} ${label} ${file} ${details}`;
}

/** The count of each status worth naming: passed and failed always, the others when they happened. */
export function countParts(summary: Summary): Array<{status: TestStatus; text: string}> {
	return [
		{status: 'passed' as const, count: summary.passed, always: true, word: 'passed'},
		{status: 'failed' as const, count: summary.failed, always: true, word: 'failed'},
		{status: 'timed-out' as const, count: summary.timedOut, always: false, word: 'timed out'},
		{status: 'error' as const, count: summary.errored, always: false, word: 'errored'},
		{status: 'cancelled' as const, count: summary.cancelled, always: false, word: 'cancelled'},
	].filter(({count, always}) => always || count > 0).map(({status, count, word}) => ({status, text: `${count} ${word}`}));
}

export function summaryCounts(summary: Summary): string {
	return `${countParts(summary).map(({text}) => text).join(', ')} of ${summary.total}`;
}

/** Whether a result's output belongs in the report: it did not pass, and it was not merely stopped. */
export function needsDetails(result: TestResult): boolean {
	return result.status !== 'passed' && result.status !== 'cancelled';
}

/**
Plain lines for a log that keeps everything (CI, a file): a line per finished file as it ends, then
the summary and the details of each failure. Keeps the failures it saw, so make one per run.
*/
export function plainReporter(): (event: RunEvent) => string[] {
	const failures: TestResult[] = [];
	return event => {
		switch (event.type) {
			case 'run-start': {
				return [`baleen: ${event.total} files in ${event.image}, ${event.concurrency} at once (${event.engine})`];
			}

			case 'test-end': {
				const {schema, type, ...result} = event;
				if (needsDetails(result)) {
					failures.push(result);
				}

				return [resultLine(result)];
			}

			case 'run-end': {
				return ['', ...summaryLines(event), ...failures.flatMap(failure => ['', ...failureDetails(failure)])];
			}

			default: {
				return [];
			}
		}
	};
}

export function verdict(end: RunEnd): string {
	if (end.signal) {
		return 'Cancelled';
	}

	return end.exitCode === 0 ? 'Pass' : 'Fail';
}

/** The closing lines: the verdict, the counts, and what running in parallel saved. */
export function summaryLines(end: RunEnd): string[] {
	const speedUp = end.durationMs > 0 ? end.testDurationMs / end.durationMs : 1;
	return [
		`${verdict(end)}: ${summaryCounts(end.summary)}`,
		`Time: ${formatDuration(end.durationMs)} (files took ${formatDuration(end.testDurationMs)} in all, ${speedUp.toFixed(1)}x from running in parallel)`,
	];
}

/** What went wrong in one file: its status, exit code, and the tails of both streams, apart. */
export function failureDetails(result: TestResult, maxLines = 20): string[] {
	const tail = (text: string) => text.replace(/\n$/, '').split('\n').slice(-maxLines).map(line => `    ${line}`);
	return [
		`── ${printable(result.file)}: ${statusLabel[result.status]}${result.exitCode === null ? '' : `, exit code ${result.exitCode}`}`,
		...(result.error ? [`  error: ${result.error}`] : []),
		...(result.stdout ? ['  stdout:', ...tail(result.stdout)] : []),
		...(result.stderr ? ['  stderr:', ...tail(result.stderr)] : []),
	];
}
