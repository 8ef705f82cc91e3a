import type {
	AttemptResult, FileResult, RunEnd, RunStart, Summary, TestResult, TestStatus,
} from '../events.js';
import {formatDuration, printable, statusLabel, statusMark} from './format.js';

/** The words every report shares (the plain log and the terminal view), apart from how each shows them. */

/** `1 file`, `2 files`. */
export function count(number: number, word: string): string {
	return `${number} ${word}${number === 1 ? '' : 's'}`;
}

/** What the run is: how many files (of which shard), in which image, how many at once, on which engine. */
export function startParts(start: RunStart): {files: string; image: string; concurrency: string; engine: string} {
	const shard = start.shard ? ` (shard ${start.shard.index}/${start.shard.count})` : '';
	return {files: `${count(start.total, 'file')}${shard}`, image: start.image, concurrency: `${start.concurrency} at once`, engine: start.engine};
}

/** The exit code worth naming: not 0, and not baleen's own kill of a file that timed out or was cancelled. */
export function shownExitCode(result: Pick<TestResult, 'status' | 'exitCode'>): number | undefined {
	const killed = result.status === 'timed-out' || result.status === 'cancelled';
	return result.exitCode === null || result.exitCode === 0 || killed ? undefined : result.exitCode;
}

/**
What an exit code says beyond its number: 127 is the shell's "command not found". The shell's own
line (`sh: line 0: mocha: not found`) names the command; it is repeated plainly.
*/
export function exitMeaning(result: Pick<TestResult, 'status' | 'exitCode' | 'stderr' | 'reason'>): string | undefined {
	if (result.reason) {
		return result.reason;
	}

	if (shownExitCode(result) !== 127) {
		return undefined;
	}

	const missing = /: ([^:\n]+): (?:command )?not found\s*$/m.exec(result.stderr)?.[1];
	return `command not found in the image${missing ? `: ${missing}` : ''}`;
}

/** One attempt in a few words: `exit 1`, `timed out`, `engine lost`. */
function attemptWords(attempt: AttemptResult): string {
	if (attempt.lost) {
		return 'engine lost';
	}

	const code = shownExitCode(attempt);
	return code === undefined ? statusLabel[attempt.status] : `exit ${code}`;
}

/** How the file got to its end when it took more than one attempt: `attempts: exit 1, passed`. */
export function attemptsText(result: Partial<Pick<FileResult, 'earlier'>> & TestResult): string | undefined {
	if (!result.earlier?.length) {
		return undefined;
	}

	return `attempts: ${[...result.earlier, result].map(attempt => attemptWords(attempt)).join(', ')}`;
}

/** A finished file's line in pieces, so that a terminal view can colour the mark and keep the words. */
export function resultParts(result: TestResult & Partial<Pick<FileResult, 'earlier'>>): {mark: string; label: string; file: string; details: string} {
	const code = shownExitCode(result);
	const meaning = exitMeaning(result);
	const attempts = attemptsText(result);
	const details = [
		...(code === undefined ? [] : [`exit ${code}${meaning ? `: ${meaning}` : ''}`]),
		formatDuration(result.durationMs),
		...(attempts ? [attempts] : []),
		...(result.error ? [result.error] : []),
		...(result.hint ? [result.hint] : []),
		// In a run over several engines, where a file that did not pass ran is worth knowing.
		...(result.engine && result.status !== 'passed' ? [`on ${result.engine}`] : []),
	];
	return {
		mark: statusMark[result.status],
		label: statusLabel[result.status].padEnd(9),
		file: printable(result.file),
		details: `(${details.join(', ')})`,
	};
}

/** One line for a finished file, as a log would keep it. */
export function resultLine(result: TestResult & Partial<Pick<FileResult, 'earlier'>>): string {
	const {mark, label, file, details} = resultParts(result);
	return `${mark} ${label} ${file} ${details}`;
}

/** The files cancelled before they started, told as one line instead of a line each. */
export function notRunLine(notRun: number): string {
	return `${statusMark.cancelled} ${count(notRun, 'file')} not run`;
}

/** The count of each status worth naming: passed and failed always, the others when they happened. */
export function countParts(summary: Summary): Array<{status: TestStatus; text: string}> {
	return [
		{status: 'passed' as const, count: summary.passed, always: true, word: 'passed'},
		{status: 'flaky' as const, count: summary.flaky, always: false, word: 'flaky'},
		{status: 'failed' as const, count: summary.failed, always: true, word: 'failed'},
		{status: 'timed-out' as const, count: summary.timedOut, always: false, word: 'timed out'},
		{status: 'error' as const, count: summary.errored, always: false, word: 'errored'},
		{status: 'cancelled' as const, count: summary.cancelled, always: false, word: 'cancelled'},
	].filter(({count, always}) => always || count > 0).map(({status, count, word}) => ({status, text: `${count} ${word}`}));
}

export function summaryCounts(summary: Summary): string {
	return `${countParts(summary).map(({text}) => text).join(', ')} of ${summary.total}`;
}

/** Whether a result's output belongs in the report: it did not pass (flaky files passed in the end), and it was not merely stopped. */
export function needsDetails(result: Pick<TestResult, 'status'>): boolean {
	return result.status !== 'passed' && result.status !== 'flaky' && result.status !== 'cancelled';
}

/** An attempt that ends with the file going round again, as a log line: `↻ a.sh: exit 1, runs again (attempt 2 of 3)`. */
export function retryLine(result: TestResult & {attempt: number; maxAttempts: number}): string {
	const next = result.lost ? 'runs again once the engine answers' : `runs again (attempt ${result.attempt + 1} of ${result.maxAttempts})`;
	return `↻ ${printable(result.file)}: ${attemptWords(result)}${result.error ? ` (${result.error})` : ''}, ${next}`;
}

export function verdict(end: RunEnd): string {
	if (end.signal) {
		return 'Cancelled';
	}

	return end.exitCode === 0 ? 'Pass' : 'Fail';
}

/** Why files did not run, when `--bail` stopped the run. */
export function bailLine(end: RunEnd): string | undefined {
	const {failed, timedOut, errored, cancelled} = end.summary;
	return end.bailed ? `Bailed: ${count(failed + timedOut + errored, 'file')} failed, so ${count(cancelled, 'file')} did not run (--bail)` : undefined;
}

export function timeLine(end: RunEnd): string {
	const speedUp = end.durationMs > 0 ? end.testDurationMs / end.durationMs : 1;
	return `Time: ${formatDuration(end.durationMs)} (files took ${formatDuration(end.testDurationMs)} in all, ${speedUp.toFixed(1)}x from running in parallel)`;
}

/** The closing lines: the verdict, the counts, why files did not run, and what running in parallel saved. */
export function summaryLines(end: RunEnd): string[] {
	const bailed = bailLine(end);
	return [`${verdict(end)}: ${summaryCounts(end.summary)}`, ...(bailed ? [bailed] : []), timeLine(end)];
}

/** How much of each stream a failure's details show: its last lines, and no more than a few KiB of them. */
const detailLines = 20;
const detailChars = 8 * 1024;

function detailTail(text: string): string[] {
	return text.slice(-detailChars).replace(/\n$/, '').split('\n').slice(-detailLines);
}

/** A failed file as its details will show it: each stream cut to what is shown, so that keeping it until the summary costs little. */
export function detailed<Result extends TestResult>(result: Result): Result {
	const cut = (text: string) => text === '' ? '' : `${detailTail(text).join('\n')}\n`;
	return {...result, stdout: cut(result.stdout), stderr: cut(result.stderr)};
}

/** What went wrong in one file: its status, exit code, and the tails of both streams, apart. */
export function failureDetails(result: TestResult & Partial<Pick<FileResult, 'earlier'>>): string[] {
	const code = shownExitCode(result);
	const meaning = exitMeaning(result);
	const attempts = attemptsText(result);
	const tail = (text: string) => detailTail(text).map(line => `    ${line}`);
	return [
		`── ${printable(result.file)}: ${statusLabel[result.status]}${code === undefined ? '' : `, exit code ${code}`}${meaning ? ` (${meaning})` : ''}`,
		...(result.error ? [`  error: ${result.error}`] : []),
		...(result.hint ? [`  hint: ${result.hint}`] : []),
		...(attempts ? [`  ${attempts} (the output is the last attempt's)`] : []),
		...(result.stdout ? ['  stdout:', ...tail(result.stdout)] : []),
		...(result.stderr ? ['  stderr:', ...tail(result.stderr)] : []),
	];
}
