import type {Copied} from '../backends/backend.js';
import type {TestCase, TestCounts} from '../events.js';
import type {ResultsReader} from './reader.js';

/** A test that did not pass: its framework's report says it failed, or errored. */
export const failedTest = (test: Pick<TestCase, 'status'>) => test.status === 'failed' || test.status === 'error';

/** The tests of a report counted, an `error` as failed. */
export function countTests(cases: readonly TestCase[]): TestCounts {
	const counts = {total: cases.length, passed: 0, failed: 0, skipped: 0};
	for (const {status} of cases) {
		counts[status === 'error' ? 'failed' : status]++;
	}

	return counts;
}

/** What a framework's report tells of a file: its tests, or why the report could not be read. */
export type ReadResults = {testcases: TestCase[]; tests: TestCounts} | {problem: string};

/** A report brought out of the container read by `reader`, or the problem of bringing it out passed on. */
export function readResults(reader: ResultsReader, report: NonNullable<Copied['results']>): ReadResults {
	if ('problem' in report) {
		return {problem: report.problem};
	}

	const read = reader.read(report.text, report.path);
	return 'problem' in read ? read : {testcases: read, tests: countTests(read)};
}
