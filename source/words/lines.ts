import {
	countOf, failedFiles, isFailure, testStatuses,
	type AttemptResult, type FileResult, type RunEnd, type RunStart, type SplitRun, type Summary, type TestCounts, type TestResult, type TestRetry, type TestStatus,
} from '../events.js';
import {failedTest} from '../results/tests.js';
import {
	formatBytes, formatDuration, printable, statusLabel, statusMark,
} from './format.js';
import {quarantineLines} from './quarantine.js';
import {usageLines} from './usage.js';

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

/** One attempt in a few words: `exit 1`, `timed out`, `lost` (to the engine, not the test's doing). */
function attemptWords(attempt: AttemptResult): string {
	if (attempt.lost) {
		return 'lost';
	}

	const code = shownExitCode(attempt);
	return code === undefined ? statusLabel[attempt.status] : `exit ${code}`;
}

/** How the file got to its end when it took more than one attempt: `attempts: exit 1, passed`. */
export function attemptsText(result: Partial<Pick<FileResult, 'earlier'>> & TestResult): string | undefined {
	if (!result.earlier?.length) {
		return undefined;
	}

	// The last attempt of a flaky file passed: the file is flaky, the attempt is not.
	const last = result.status === 'flaky' ? {...result, status: 'passed' as const} : result;
	return `attempts: ${[...result.earlier, last].map(attempt => attemptWords(attempt)).join(', ')}`;
}

/** A finished file's line in pieces, so that a terminal view can colour the mark and keep the words. */
/** How a file split by its tests ran: `in 3 parts`, or `whole after 3 parts: why`. */
export function splitText(split: SplitRun | undefined): string | undefined {
	if (!split) {
		return undefined;
	}

	return split.whole ? `whole after ${split.parts} parts: ${split.whole}` : `in ${split.parts} parts`;
}

export function resultParts(result: TestResult & Partial<Pick<FileResult, 'earlier' | 'split'>>): {mark: string; label: string; file: string; details: string} {
	const code = shownExitCode(result);
	const meaning = exitMeaning(result);
	const attempts = attemptsText(result);
	const split = splitText(result.split);
	const details = [
		...(code === undefined ? [] : [`exit ${code}${meaning ? `: ${meaning}` : ''}`]),
		formatDuration(result.durationMs),
		...(split ? [split] : []),
		...(result.tests ? [fileTests(result.tests)] : []),
		...(result.resultsError ? [`no results: ${result.resultsError}`] : []),
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
export function resultLine(result: TestResult & Partial<Pick<FileResult, 'earlier' | 'split'>>): string {
	const {mark, label, file, details} = resultParts(result);
	return `${mark} ${label} ${file} ${details}`;
}

/** The files cancelled before they started, told as one line instead of a line each. */
export function notRunLine(notRun: number): string {
	return `${statusMark.cancelled} ${count(notRun, 'file')} not run`;
}

/** How a count of files of a status reads: `3 errored`, where one file's label reads `error`. */
const countWord: Record<TestStatus, string> = {...statusLabel, error: 'errored'};

/** The count of each status worth naming: passed and failed always, the others when they happened. */
export function countParts(summary: Summary): Array<{status: TestStatus; text: string}> {
	return testStatuses
		.map(status => ({status, count: countOf(summary, status)}))
		.filter(({status, count}) => status === 'passed' || status === 'failed' || count > 0)
		.map(({status, count}) => ({status, text: `${count} ${countWord[status]}`}));
}

/** The files by status, as the summary and a shard's record tell them: `7 passed, 1 failed of 8 files`. */
export function summaryCounts(summary: Summary): string {
	return `${countParts(summary).map(({text}) => text).join(', ')} of ${count(summary.total, 'file')}`;
}

/** A file's tests as its line tells them: `14 tests`, or `2 of 14 tests failed`. */
export function fileTests(tests: TestCounts): string {
	return tests.failed > 0 ? `${tests.failed} of ${count(tests.total, 'test')} failed` : count(tests.total, 'test');
}

/** The run's tests (`--results`), in the words of its files: `1256 passed, 0 failed, 3 skipped of 1259 tests`. */
export function testCounts(tests: TestCounts): string {
	return [
		`${tests.passed} passed`,
		`${tests.failed} failed`,
		...(tests.skipped > 0 ? [`${tests.skipped} skipped`] : []),
	].join(', ') + ` of ${count(tests.total, 'test')}`;
}

/** Whether a result's output belongs in the report: it did not pass (flaky files passed in the end), and it was not merely stopped. */
export function needsDetails(result: Pick<TestResult, 'status'>): boolean {
	return isFailure(result.status);
}

/** An attempt that ends with the file going round again, as a log line: `↻ a.sh: exit 1, runs again (attempt 2 of 3)`. */
export function retryLine(result: TestResult & Pick<TestRetry, 'attempt' | 'maxAttempts' | 'part' | 'only'>): string {
	const failed = result.only?.length ?? 0;
	const what = failed > 0 ? `only its ${count(failed, 'failed test')} ${failed === 1 ? 'runs' : 'run'} again` : 'runs again';
	const next = result.lost ? 'not the test\'s doing: runs again' : `${what} (attempt ${result.attempt + 1} of ${result.maxAttempts})`;
	const part = result.part ? ` (part ${result.part.index} of ${result.part.count})` : '';
	return `↻ ${printable(result.file)}${part}: ${attemptWords(result)}${result.error ? ` (${result.error})` : ''}, ${next}`;
}

export function verdict(end: RunEnd): string {
	if (end.signal) {
		return 'Cancelled';
	}

	return end.exitCode === 0 ? 'Pass' : 'Fail';
}

/** Why files did not run, when `--bail` stopped the run. */
export function bailLine(end: RunEnd): string | undefined {
	return end.bailed ? `Bailed: ${count(failedFiles(end.summary), 'file')} failed, so ${count(end.summary.cancelled, 'file')} did not run (--bail)` : undefined;
}

/** How long the run took, and what running files side by side gave: nothing to speak of when one file ran, or one at a time (`concurrency`, when known). */
export function timeLine(end: RunEnd, concurrency?: number): string {
	const ran = end.summary.total - end.summary.cancelled;
	if (ran <= 1 || concurrency === 1 || end.testDurationMs === 0) {
		return `Time: ${formatDuration(end.durationMs)}`;
	}

	const speedUp = end.durationMs > 0 ? end.testDurationMs / end.durationMs : 1;
	return `Time: ${formatDuration(end.durationMs)} (files took ${formatDuration(end.testDurationMs)} in all, ${speedUp.toFixed(1)}x from running in parallel)`;
}

/** The closing lines: the verdict, the counts of files (and of tests, with `--results`) in one form, why files did not run, the quarantine list's expired and unmatched entries, and what running in parallel saved. */
export function summaryLines(end: RunEnd, concurrency?: number): string[] {
	const bailed = bailLine(end);
	return [`${verdict(end)}: ${summaryCounts(end.summary)}${end.tests ? `; ${testCounts(end.tests)}` : ''}`, ...(bailed ? [bailed] : []), ...quarantineLines(end), timeLine(end, concurrency), ...usageLines(end)];
}

/** How much of each stream a failure's details show: its last lines, and no more than a few KiB of them. */
const detailLines = 20;
const detailChars = 8 * 1024;
/** How many of a file's failed tests its details name. */
const detailTests = 5;

function detailTail(text: string): string[] {
	return text.slice(-detailChars).replace(/\n$/, '').split('\n').slice(-detailLines);
}

/** What a stream's details leave out: the lines before the shown ones that baleen still held (all of them when `all`), and the bytes. */
export type Cut = {lines: number; bytes: number; all: boolean};

/** What showing the end of `text` leaves out of a stream of `totalBytes`. */
export function cutOf(text: string, totalBytes: number): Cut | undefined {
	const shown = detailTail(text);
	const held = text.replace(/\n$/, '').split('\n').length;
	const shownBytes = Buffer.byteLength(text === '' ? '' : `${shown.join('\n')}\n`, 'utf8');
	const bytes = Math.max(0, totalBytes - shownBytes);
	const lines = Math.max(0, held - shown.length);
	return lines > 0 || bytes > 1 ? {lines, bytes, all: totalBytes <= Buffer.byteLength(text, 'utf8')} : undefined;
}

/** A failed file as its details show it, and what they leave out. */
export type Detailed = TestResult & {cut?: {stdout?: Cut; stderr?: Cut}};

/** A failed file as its details will show it: each stream cut to what is shown, so that keeping it until the summary costs little. */
export function detailed<Result extends TestResult>(result: Result): Result & Detailed {
	const cut = (text: string) => text === '' ? '' : `${detailTail(text).join('\n')}\n`;
	const stdout = cutOf(result.stdout, result.stdoutBytes);
	const stderr = cutOf(result.stderr, result.stderrBytes);
	return {
		...result,
		stdout: cut(result.stdout),
		stderr: cut(result.stderr),
		...((stdout ?? stderr) && {cut: {...(stdout && {stdout}), ...(stderr && {stderr})}}),
		...(result.testcases && {testcases: result.testcases.filter(test => failedTest(test)).slice(0, detailTests)}),
	};
}

/** The line before a cut stream's tail: how much came before, and where all of it is (or how to keep it). */
function cutNote(cut: Cut, stream: 'stdout' | 'stderr', outputFolder: string | undefined): string {
	const lines = cut.lines > 0 || cut.all ? `${cut.all ? '' : 'at least '}${count(cut.lines, 'line')}, ` : '';
	const where = outputFolder ? `all of it in ${printable(outputFolder)}/${stream}.log` : 'run with --output-dir DIR to keep all of it';
	return `    [… ${lines}${formatBytes(cut.bytes)} before this; ${where}]`;
}

/** The first `limit` tests of a file its framework's report says failed (`--results`): `✗ classname › name: the first line of its message`. */
export function failedTestLines(result: Pick<TestResult, 'testcases'>, limit: number): string[] {
	const failed = (result.testcases ?? []).filter(test => failedTest(test));
	return failed.slice(0, limit).map(test => {
		const message = (test.message ?? test.details ?? '').split('\n').find(line => line.trim() !== '')?.trim();
		return `✗ ${printable([test.classname, test.name].filter(Boolean).join(' › '))}${message ? `: ${printable(message).slice(0, 200)}` : ''}`;
	});
}

/** The failed tests in a file's details, and how many more there were. */
function failedTests(result: TestResult): string[] {
	const lines = failedTestLines(result, detailTests);
	const more = (result.tests?.failed ?? lines.length) - lines.length;
	return lines.length > 0 ? ['  failed tests:', ...lines.map(line => `    ${line}`), ...(more > 0 ? [`    … and ${more} more`] : [])] : [];
}

/** What went wrong in one file: its status, exit code, failed tests, and the tails of both streams, apart, saying what they leave out. */
export function failureDetails(result: Detailed & Partial<Pick<FileResult, 'earlier'>>): string[] {
	const code = shownExitCode(result);
	const meaning = exitMeaning(result);
	const attempts = attemptsText(result);
	const cut = result.cut ?? {stdout: cutOf(result.stdout, result.stdoutBytes), stderr: cutOf(result.stderr, result.stderrBytes)};
	const stream = (name: 'stdout' | 'stderr') => {
		const text = result[name];
		const streamCut = cut[name];
		return text ? [`  ${name}:`, ...(streamCut ? [cutNote(streamCut, name, result.outputFolder)] : []), ...detailTail(text).map(line => `    ${line}`)] : [];
	};

	return [
		`── ${printable(result.file)}: ${statusLabel[result.status]}${code === undefined ? '' : `, exit code ${code}`}${meaning ? ` (${meaning})` : ''}`,
		...(result.error ? [`  error: ${result.error}`] : []),
		...(result.hint ? [`  hint: ${result.hint}`] : []),
		...(result.resultsError ? [`  results: ${result.resultsError}`] : []),
		...(result.artifactErrors ?? []).map(problem => `  artifacts: ${problem}`),
		...(attempts ? [`  ${attempts} (the output is the last attempt's)`] : []),
		...failedTests(result),
		...stream('stdout'),
		...stream('stderr'),
		// Last, so that it is at hand to copy: a shell where the file failed (--keep-failed).
		...(result.kept ? [`  kept: ${printable(result.kept.command)}`] : []),
	];
}
