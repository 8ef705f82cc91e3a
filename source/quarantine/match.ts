import picomatch from 'picomatch';
import {
	isFailure, type QuarantineEntry, type QuarantineMark, type TestCase, type TestResult,
} from '../events.js';
import {failedTest} from '../results/tests.js';

const withoutDot = (file: string) => file.replace(/^\.\//, '');

/** Whether an entry's `file` (a path or a glob) names the file as the run names it; an entry without one names every file. */
export function namesFile(entry: Pick<QuarantineEntry, 'file'>, file: string): boolean {
	return entry.file === undefined || picomatch.isMatch(withoutDot(file), withoutDot(entry.file), {dot: true});
}

/** The entry for a test of `file`: one naming the test (exactly, as its framework's report names it), else the file's whole entry. */
function entryForTest(entries: readonly QuarantineEntry[], file: string, test: Pick<TestCase, 'name'>, whole: QuarantineEntry | undefined): QuarantineEntry | undefined {
	return entries.find(entry => entry.test === test.name && namesFile(entry, file)) ?? whole;
}

/** The entry quarantining `file` whole: one with a file and no test. */
function wholeEntry(entries: readonly QuarantineEntry[], file: string): QuarantineEntry | undefined {
	return entries.find(entry => entry.test === undefined && namesFile(entry, file));
}

const mark = ({reason, owner, expires}: QuarantineEntry): QuarantineMark => ({reason, owner, ...(expires !== undefined && {expires})});

/** Whether an entry matched anything of a file's result: the file, when it names it whole; one of its tests, else. */
export function matches(entry: QuarantineEntry, result: Pick<TestResult, 'file' | 'testcases'>): boolean {
	if (!namesFile(entry, result.file)) {
		return false;
	}

	return entry.test === undefined || (result.testcases ?? []).some(test => test.name === entry.test);
}

/**
A file's result as the quarantine list sees it: each test an entry names (or every test of a file
quarantined whole) carries its entry, and a file that did not pass ends `quarantined` when it is
quarantined whole, or when it failed (not timed out nor errored) and every test its report says failed
is quarantined. A file that passed, was flaky or was cancelled keeps its status; one the list does not
touch is returned as it is.
*/
export function quarantineResult<Result extends TestResult>(result: Result, entries: readonly QuarantineEntry[]): Result {
	const whole = wholeEntry(entries, result.file);
	const testcases = result.testcases?.map(test => {
		const entry = entryForTest(entries, result.file, test, whole);
		return entry ? {...test, quarantined: mark(entry)} : test;
	});
	if (!whole && !testcases?.some(test => test.quarantined)) {
		return result;
	}

	const failed = (testcases ?? []).filter(test => failedTest(test));
	const onlyQuarantinedFailed = result.status === 'failed' && failed.length > 0 && failed.every(test => test.quarantined);
	const quarantined = isFailure(result.status) && (whole !== undefined || onlyQuarantinedFailed);
	return {
		...result,
		...(quarantined && {status: 'quarantined' as const}),
		...(testcases && {testcases}),
		...(whole && {quarantined: mark(whole)}),
	};
}
