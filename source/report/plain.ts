import type {RunEnd, Summary, TestResult} from '../events.js';
import {formatDuration, printable, statusLabel, statusMark} from './format.js';

/** One line for a finished file, as a log would keep it. */
export function resultLine(result: TestResult): string {
	const details = [
		...(result.exitCode !== null && result.exitCode !== 0 ? [`exit ${result.exitCode}`] : []),
		formatDuration(result.durationMs),
		...(result.error ? [result.error] : []),
	];
	return `${statusMark[result.status]} ${statusLabel[result.status].padEnd(9)} ${printable(result.file)} (${details.join(', ')})`;
}

export function summaryCounts(summary: Summary): string {
	const counts = [
		`${summary.passed} passed`,
		`${summary.failed} failed`,
		...(summary.timedOut > 0 ? [`${summary.timedOut} timed out`] : []),
		...(summary.errored > 0 ? [`${summary.errored} errored`] : []),
		...(summary.cancelled > 0 ? [`${summary.cancelled} cancelled`] : []),
	];
	return `${counts.join(', ')} of ${summary.total}`;
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
