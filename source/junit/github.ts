import {isFailure, type RunEnd, type TestResult} from '../events.js';
import {failedTest} from '../results/tests.js';
import {failedTestLines, testCounts} from '../words/lines.js';
import {expiredLines, quarantineWords} from '../words/quarantine.js';

/** GitHub shows at most this many error annotations of a step; more are dropped unseen. */
export const maxAnnotations = 10;
/** `$GITHUB_STEP_SUMMARY` takes at most 1 MiB a step; the summary stays well under it. */
export const summaryLimitBytes = 512 * 1024;

/** A workflow command's message: `%`, CR and LF escaped, as the runner reads them back. */
export function escapeData(text: string): string {
	return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A workflow command's property value: the message's escapes, and `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
	return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const lastLines = (text: string, count: number) => text.replace(/\n$/, '').split('\n').slice(-count).join('\n');

/** A file's failed tests as its framework's report names them (`--results`), or nothing. */
function failedTests(result: TestResult, count: number): string | undefined {
	const lines = failedTestLines(result, count);
	return lines.length > 0 ? lines.join('\n') : undefined;
}

/** `::error file=…,title=…::…` for each file that did not pass, the first ten; the last says how many more there were. */
export function annotations(results: readonly TestResult[]): string[] {
	const failures = results.filter(result => isFailure(result.status));
	return failures.slice(0, maxAnnotations).map((result, index) => {
		const more = index === maxAnnotations - 1 && failures.length > maxAnnotations ? `\n(and ${failures.length - maxAnnotations} more files that did not pass)` : '';
		const title = `${result.file}: ${result.status}${result.exitCode === null || result.status === 'timed-out' ? '' : `, exit code ${result.exitCode}`}`;
		const excerpt = result.error ?? failedTests(result, 5) ?? lastLines(result.stderr || result.stdout, 5);
		return `::error file=${escapeProperty(result.file)},title=${escapeProperty(title)}::${escapeData(`${excerpt}${more}`)}`;
	});
}

/** The tests (or whole files) the quarantine list names that failed in a file, as its note says them: `✗ name: reason (owner)`. */
function quarantinedFailures(result: TestResult): string {
	const tests = (result.testcases ?? []).filter(test => test.quarantined && failedTest(test)).map(test => `✗ ${test.name}: ${quarantineWords(test.quarantined!)}`);
	return tests.length > 0 || !result.quarantined ? tests.join('\n') : `the file is quarantined: ${quarantineWords(result.quarantined)}`;
}

/** `::error title=…::…` for each expired entry of the quarantine list: each failed the run. */
export const expiredAnnotations = (end: RunEnd): string[] => expiredLines(end).map(line => `::error title=${escapeProperty('quarantine expired')}::${escapeData(line)}`);

/** `::notice file=…,title=…::…` for each file that ended quarantined (its failures did not fail the run), the first ten. */
export function quarantineNotices(results: readonly TestResult[]): string[] {
	return results.filter(result => result.status === 'quarantined').slice(0, maxAnnotations)
		.map(result => `::notice file=${escapeProperty(result.file)},title=${escapeProperty(`${result.file}: quarantined`)}::${escapeData(quarantinedFailures(result))}`);
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
const fence = (text: string) => {
	const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(([ticks]) => ticks.length));
	return '`'.repeat(longest + 1);
};

/** The Markdown the job's summary page shows: the counts, the time, and each failed file with the end of its output; bounded. */
export function stepSummary(end: RunEnd, results: readonly TestResult[]): string {
	const {summary} = end;
	const head = [
		`### baleen: ${end.exitCode === 0 ? 'passed' : (end.signal ? 'cancelled' : 'failed')}`,
		'',
		'| files | passed | failed | timed out | errored | cancelled | time |',
		'| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		`| ${summary.total} | ${summary.passed} | ${summary.failed} | ${summary.timedOut} | ${summary.errored} | ${summary.cancelled} | ${(end.durationMs / 1000).toFixed(1)} s |`,
		'',
		...(end.tests ? [`Tests, as the frameworks reported them: ${testCounts(end.tests)}.`, ''] : []),
		...(summary.quarantined ? [`Quarantined (their failures did not fail the run): ${summary.quarantined} ${summary.quarantined === 1 ? 'file' : 'files'}.`, ''] : []),
		...expiredLines(end).flatMap(line => [line, '']),
	].join('\n');
	let text = head;
	const failures = results.filter(result => isFailure(result.status));
	for (const [index, result] of failures.entries()) {
		const tests = failedTests(result, 10);
		const excerpt = result.error ?? (tests ? `${tests}\n\n${lastLines(result.stderr || result.stdout, 10)}` : lastLines(result.stderr || result.stdout, 20));
		const ticks = fence(excerpt);
		const section = `<details><summary><code>${cell(result.file).replaceAll('<', '&lt;')}</code>: ${result.status}</summary>\n\n${ticks}\n${excerpt}\n${ticks}\n\n</details>\n`;
		if (Buffer.byteLength(text + section, 'utf8') > summaryLimitBytes - 200) {
			text += `\n(and ${failures.length - index} more files that did not pass; see the JUnit report or the output dir)\n`;
			break;
		}

		text += section;
	}

	return text;
}
