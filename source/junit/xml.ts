import {stripVTControlCharacters} from 'node:util';
import {XMLBuilder} from 'fast-xml-parser';
import {
	isFailure, type AttemptResult, type FileResult, type QuarantineMark, type Resources, type RunEnd, type RunStart, type TestCase, type TestStatus,
} from '../events.js';
import {failedTest} from '../results/tests.js';
import {quarantineWords} from '../words/quarantine.js';

/** How much of each stream a testcase keeps: the end, where a failure usually shows. */
export const junitTailBytes = 16 * 1024;

/**
Text as XML 1.0 may hold it: terminal colour codes dropped, every other character XML forbids (control
characters but tab and line breaks, lone surrogates, U+FFFE and U+FFFF) shown as U+FFFD. The builder
escapes `&`, `<`, `>` and quotes, so `]]>` and markup in output stay text.
*/
export function xmlText(text: string): string {
	// eslint-disable-next-line no-control-regex
	return stripVTControlCharacters(text).replaceAll(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Text for an attribute, on one line: XML readers turn a tab or a line break there into a space, so they are shown as `\t`, `\n`. */
export function attributeText(text: string): string {
	return xmlText(text).replaceAll(/[\t\n\r]/g, character => JSON.stringify(character).slice(1, -1));
}

/** The last `limit` bytes of a stream, saying how much came before when it was cut (here or earlier, in the tail baleen kept). */
export function boundedTail(text: string, totalBytes: number, limit = junitTailBytes): string {
	const buffer = Buffer.from(text, 'utf8');
	const kept = buffer.length > limit ? buffer.subarray(buffer.length - limit).toString('utf8').replace(/^\uFFFD+/, '') : text;
	const before = totalBytes - Buffer.byteLength(kept, 'utf8');
	return before > 0 ? `[… ${before} bytes before this were cut]\n${kept}` : kept;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');

/** An attempt that did not pass, as the message and type of a `<failure>` or `<error>`. */
function fault(result: AttemptResult): {'@message': string; '@type': string} | undefined {
	const code = result.exitCode === null ? '' : ` with exit code ${result.exitCode}`;
	switch (result.status) {
		case 'failed': {
			return {'@message': `failed${code}${result.reason ? ` (${result.reason})` : ''}`, '@type': 'failed'};
		}

		case 'timed-out': {
			return {'@message': `timed out after ${seconds(result.durationMs)} s`, '@type': 'timed-out'};
		}

		case 'error': {
			return {'@message': attributeText(result.error ?? 'the engine failed'), '@type': result.lost ? 'engine-lost' : 'error'};
		}

		default: {
			return undefined;
		}
	}
}

/**
The attempts before the last, as Surefire and Playwright tell them: `<flakyFailure>`/`<flakyError>` in a
testcase that passed in the end, `<rerunFailure>`/`<rerunError>` in one that did not. Attempts lost to
the engine are left out: they say nothing about the test.
*/
function earlierAttempts(result: FileResult): Record<string, unknown> {
	const kind = result.status === 'flaky' ? 'flaky' : 'rerun';
	const faults = (result.earlier ?? []).filter(attempt => !attempt.lost).map(attempt => ({attempt, told: fault(attempt)}));
	const failures = faults.filter(({attempt, told}) => told && attempt.status !== 'error').map(({told}) => told);
	const errors = faults.filter(({attempt, told}) => told && attempt.status === 'error').map(({told}) => told);
	return {
		...(failures.length > 0 && {[`${kind}Failure`]: failures}),
		...(errors.length > 0 && {[`${kind}Error`]: errors}),
	};
}

/**
A quarantined failure as a `<skipped>` whose message says so: what CI systems (GitLab, Jenkins, the GitHub
test reporters) count neither as a failure nor as a pass. The failure's words stay in its text.
*/
function quarantinedSkip(mark: QuarantineMark | undefined, failure: {message?: string; details?: string}): Record<string, string> {
	const text = [failure.message, failure.details].filter(Boolean).join('\n');
	return {'@message': attributeText(`quarantined${mark ? `: ${quarantineWords(mark)}` : ''}`), ...(text && {'#text': xmlText(text)})};
}

/**
A testcase's `<properties>`: the quarantine entry it matched, so that a test that passed shows it too,
and what its file's container took (each of a file's tests carries its file's figures, as one container ran them all).
*/
function properties(mark: QuarantineMark | undefined, resources: Resources | undefined): Record<string, unknown> {
	const property = [
		...(mark ? [{'@name': 'quarantined', '@value': attributeText(quarantineWords(mark))}] : []),
		...Object.entries(resources ?? {}).map(([name, value]) => ({'@name': name, '@value': String(value)})),
	];
	return property.length > 0 ? {properties: {property}} : {};
}

/** A file that did not pass: it failed, or did so only because of what the quarantine list names. */
const didNotPass = (status: TestStatus) => isFailure(status) || status === 'quarantined';

function outcome(result: FileResult): Record<string, unknown> {
	switch (result.status) {
		case 'failed':
		case 'timed-out': {
			return {failure: fault(result)};
		}

		case 'error': {
			return {error: fault(result)};
		}

		case 'cancelled': {
			return {skipped: {'@message': result.containerId ? 'cancelled while it ran' : 'not run: the run was cancelled'}};
		}

		case 'quarantined': {
			return {skipped: quarantinedSkip(result.quarantined, {message: fault({...result, status: 'failed'})?.['@message']})};
		}

		case 'passed':
		case 'flaky': {
			return {};
		}
	}
}

const caseOutcome: Record<TestCase['status'], string | undefined> = {passed: undefined, failed: 'failure', error: 'error', skipped: 'skipped'};

/** A test's failure, error or skip as its framework told it. */
function told(test: Pick<TestCase, 'status' | 'message' | 'details'>, tag: string): Record<string, unknown> {
	return {
		...(test.message !== undefined && {'@message': attributeText(test.message)}),
		...(tag !== 'skipped' && {'@type': test.status}),
		...(test.details && {'#text': xmlText(test.details)}),
	};
}

/** A test's runs before its last (a retry ran only the failed tests), as `earlierAttempts` tells a file's. */
function earlierRuns(test: TestCase): Record<string, unknown> {
	const kind = test.status === 'passed' ? 'flaky' : 'rerun';
	const runs = (status: TestCase['status']) => (test.earlier ?? []).filter(run => run.status === status).map(run => told(run, 'failure'));
	const [failures, errors] = [runs('failed'), runs('error')];
	return {
		...(failures.length > 0 && {[`${kind}Failure`]: failures}),
		...(errors.length > 0 && {[`${kind}Error`]: errors}),
	};
}

/** One test of a file as its framework's report told it, with the file it is in. */
function frameworkTestcase(file: string, test: TestCase, resources?: Resources): Record<string, unknown> {
	const tag = caseOutcome[test.status];
	const identity = {
		'@name': attributeText(test.name),
		'@classname': attributeText(test.classname ?? folderOf(file)),
		'@file': attributeText(file),
		'@time': seconds(test.timeMs ?? 0),
		...properties(test.quarantined, resources),
	};
	if (test.quarantined && failedTest(test)) {
		return {...identity, skipped: quarantinedSkip(test.quarantined, test)};
	}

	return {
		...identity,
		...(tag && {[tag]: told(test, tag)}),
		...earlierRuns(test),
	};
}

/**
A file's testcases: its framework's own when its report was read (none for a file that passed with no
tests in it: a helper a pattern took, as the framework's own totals count it), else one for the file.
A file that did not pass although none of its tests failed (it crashed after them, or before any) keeps
its own testcase as well, so that the failure is not lost.
*/
function testcases(result: FileResult): Array<Record<string, unknown>> {
	if (result.testcases === undefined) {
		return [testcase(result)];
	}

	const own = result.testcases.map(test => frameworkTestcase(result.file, test, result.resources));
	return !didNotPass(result.status) || result.testcases.some(test => failedTest(test)) ? own : [...own, testcase(result)];
}

function testcase(result: FileResult): Record<string, unknown> {
	const failed = didNotPass(result.status);
	return {
		'@name': attributeText(result.file),
		'@classname': attributeText(folderOf(result.file)),
		'@file': attributeText(result.file),
		'@time': seconds(result.durationMs),
		...properties(result.quarantined, result.resources),
		...outcome(result),
		...earlierAttempts(result),
		...(failed && result.stdout && {'system-out': xmlText(boundedTail(result.stdout, result.stdoutBytes))}),
		...(failed && result.stderr && {'system-err': xmlText(boundedTail(result.stderr, result.stderrBytes))}),
	};
}

const builder = new XMLBuilder({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	format: true,
	suppressEmptyNode: true,
	// An attribute whose value is "true" (a file named so, a skip's message) stays an attribute with a value.
	suppressBooleanAttributes: false,
});

/**
The run as JUnit XML, one `<testcase>` per file, or per test where the framework's own report was read
(`--results`): what GitLab, Jenkins, CircleCI and the GitHub test
reporters read. Failed and timed-out files are `<failure>`s, engine errors `<error>`s, cancelled files
`<skipped>`; a quarantined failure (a test's, or a file's) is a `<skipped message="quarantined: reason (owner)">`
holding the failure's words, so that CI counts it as neither failed nor passed, and every test the
quarantine list names has a `quarantined` property; the output of each file that did not pass is in its `<system-out>` and `<system-err>`,
its last 16 KiB each, so the report stays bounded however much a file printed.
*/
export function junitXml(start: RunStart, results: readonly FileResult[], end?: RunEnd): string {
	const cases = results.flatMap(result => testcases(result));
	const count = (tag: string) => cases.filter(testcase => tag in testcase).length;
	const totals = {
		'@tests': String(cases.length),
		'@failures': String(count('failure')),
		'@errors': String(count('error')),
		'@skipped': String(count('skipped')),
		'@time': seconds(end?.durationMs ?? results.reduce((sum, result) => sum + result.durationMs, 0)),
		'@timestamp': start.startedAt,
	};
	return builder.build({
		'?xml': {'@version': '1.0', '@encoding': 'UTF-8'},
		testsuites: {
			'@name': 'baleen',
			...totals,
			testsuite: {
				'@name': attributeText(start.image),
				...totals,
				testcase: cases,
			},
		},
	}) as string;
}
