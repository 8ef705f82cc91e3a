import type {Selection} from '../frameworks/framework.js';
import type {TestCase, TestResult} from '../events.js';
import {countTests, failedTest} from '../results/tests.js';

/** The unit a file's test case is split and retried by (see `Split.unit`), for the file it is in. */
export type UnitOf = (test: TestCase) => string;

const sameTest = (a: TestCase, b: TestCase) => a.name === b.name && a.classname === b.classname;

/**
What a retry of an attempt runs: only its failed tests, when its framework's report named some and
nothing else went wrong (it failed, it was not lost, stopped or broken before its tests); undefined
when the retry runs what the attempt ran.
*/
export function failedOnly(result: TestResult, unit: UnitOf | undefined): Selection | undefined {
	const failed = result.testcases?.filter(test => failedTest(test));
	if (!unit || result.status !== 'failed' || result.lost || !failed?.length) {
		return undefined;
	}

	return {only: [...new Set(failed.map(test => unit(test)))]};
}

/**
A file's tests once a retry has run some again: the earlier ones it did not run kept, the ones it ran as
it told them now, each with its runs before (`earlier`) and `flaky` when it passed after failing.
`rerun`: the units the retry ran (its `only`), undefined when it ran all of them. A retry whose report
could not be read leaves the tests as they were.
*/
export function afterRetry(before: readonly TestCase[], now: readonly TestCase[] | undefined, rerun: ReadonlySet<string> | undefined, unit: UnitOf | undefined): TestCase[] {
	if (!now) {
		return [...before];
	}

	const kept = rerun && unit ? before.filter(test => !rerun.has(unit(test))) : [];
	const again = now.map(test => {
		const runs = before.filter(earlier => sameTest(earlier, test));
		if (runs.length === 0) {
			return test;
		}

		const earlier = [...runs.flatMap(run => run.earlier ?? []), ...runs.map(({status, message, details}) => ({status, ...(message !== undefined && {message}), ...(details !== undefined && {details})}))];
		const flaky = test.status === 'passed' && earlier.some(run => failedTest(run));
		return {...test, ...(flaky && {flaky: true as const}), earlier};
	});
	return [...kept, ...again];
}

/** A result with its tests as every attempt told them (see `afterRetry`), counted afresh. */
export function withTests<Result extends TestResult>(result: Result, testcases: readonly TestCase[] | undefined): Result {
	return testcases ? {...result, testcases: [...testcases], tests: countTests(testcases)} : result;
}
