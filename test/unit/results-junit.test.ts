import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {countTests} from '../../source/results/tests.js';
import {mathSuite, named, outline, readReport} from '../helpers/reports.js';

describe('the junit reader on what the frameworks write', () => {
	test('node\'s reporter: a describe is a suite within a suite, told as the classname, and tests keep their order', () => {
		const tests = readReport('junit', 'node/math.xml');
		// `top-level passes`, last, is written after the suite of `math`, beside it.
		assert.deepEqual(outline(tests), mathSuite);
		const failure = named(tests, 'throws an error');
		assert.equal(failure.message, 'not a number');
		assert.match(failure.details!, /^Error \[ERR_TEST_FAILURE\]: not a number\n/);
		// A skip without a reason is `message="true"` in node's report: no message.
		assert.equal(named(tests, 'divides by zero').message, undefined);
		assert.equal(named(tests, 'subtracts wrongly').timeMs, 2);
	});

	test('node\'s reporter on a file that does not load: one failed test, named by the file', () => {
		const [broken, ...more] = readReport('junit', 'node/broken.xml');
		assert.equal(more.length, 0);
		assert.equal(broken!.status, 'failed');
		assert.equal(broken!.name, '/tmp/baleen-reports/node/suite/broken.test.js');
		assert.equal(broken!.classname, undefined);
	});

	test('mocha\'s xunit: the classname is the describe path, a failure\'s message is its body\'s first line, pending tests are skipped', () => {
		const tests = readReport('junit', 'mocha/math.xml');
		assert.deepEqual(outline(tests), [
			'passed top-level passes',
			'passed math › adds (1+1) [twice]?',
			'failed math › subtracts wrongly',
			'skipped math › divides by zero',
			'skipped math › is not written yet',
			'passed math nested › prints output',
			'failed math nested › throws an error',
		]);
		const failure = named(tests, 'subtracts wrongly');
		assert.equal(failure.message, 'Expected values to be strictly equal:');
		assert.match(failure.details!, /AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:\n\n2 !== 1\n\n {4}at Context\.<anonymous> \(math\.test\.js:9:10\)/);
		assert.equal(named(tests, 'throws an error').message, 'not a number');
	});

	test('mocha\'s xunit: a hook that fails is a failed test of its own', () => {
		const [hook, ...more] = readReport('junit', 'mocha/hook.xml');
		assert.equal(more.length, 0);
		assert.equal(hook!.name, '"before all" hook for "never runs"');
		assert.equal(hook!.status, 'failed');
		assert.equal(hook!.message, 'database is down');
	});

	test('vitest\'s junit: the describe path is in the name, what a failed test printed is in its details', () => {
		const tests = readReport('junit', 'vitest/math.xml');
		assert.deepEqual(outline(tests), [
			'passed math.test.js › math > adds (1+1) [twice]?',
			'failed math.test.js › math > subtracts wrongly',
			'skipped math.test.js › math > divides by zero',
			'skipped math.test.js › math > is not written yet',
			'passed math.test.js › math > nested > prints output',
			'failed math.test.js › math > nested > throws an error',
			'passed math.test.js › top-level passes',
		]);
		const failure = named(tests, 'math > subtracts wrongly');
		assert.equal(failure.message, 'expected 2 to be 1 // Object.is equality');
		assert.match(failure.details!, /^AssertionError: expected 2 to be 1/);
		const [broken] = readReport('junit', 'vitest/broken.xml');
		assert.equal(broken!.status, 'failed');
		assert.match(broken!.message!, /^Cannot find package 'no-such-module'/);
	});

	test('cucumber\'s junit: a scenario is a test; an undefined step fails without a message, its steps told in the details', () => {
		const tests = readReport('junit', 'cucumber/math.xml');
		assert.deepEqual(outline(tests), [
			'passed Math › adds (1+1) [twice]?',
			'failed Math › subtracts wrongly',
			'skipped Math › divides by zero',
			'passed Math › prints output',
			'failed Math › an undefined step',
			'passed Math › doubles <n> - #1.1: doubles 2',
			'failed Math › doubles <n> - #1.2: doubles 5',
		]);
		assert.equal(named(tests, 'subtracts wrongly').message, 'Expected values to be strictly equal:\n\n2 !== 1');
		const undefinedStep = named(tests, 'an undefined step');
		assert.equal(undefinedStep.message, undefined);
		assert.match(undefinedStep.details!, /When I square it\.+undefined$/);
		// The steps of a failed scenario follow its stack.
		assert.match(named(tests, 'subtracts wrongly').details!, /steps\.js:10:51\)\n\nGiven the number 3\.+passed/);
	});

	test('pytest\'s junitxml (7 and 9): setup and teardown errors are errors, skips and xfails skipped, an xpass passed', () => {
		for (const file of ['pytest/math.xml', 'pytest/math-newer.xml', 'pytest/math-xunit1.xml']) {
			const tests = readReport('junit', file);
			assert.deepEqual(outline(tests), [
				'passed test_math › test_adds',
				'failed test_math › test_subtracts_wrongly',
				'skipped test_math › test_divides_by_zero',
				'skipped test_math › test_expected_failure',
				'passed test_math › test_unexpected_pass',
				'passed test_math › test_adds_with_metacharacters[(1+1) [twice]?]',
				'passed test_math › test_prints_output',
				'failed test_math › test_prints_and_fails',
				'error test_math › test_needs_a_database',
				'error test_math › test_teardown_fails',
				'passed test_math.TestNested.TestDeeper › test_inner',
				'skipped test_math.TestNested › test_outer_skipped',
			], file);
			assert.equal(named(tests, 'test_needs_a_database').message, 'failed on setup with "ConnectionError: database is down"');
			assert.equal(named(tests, 'test_divides_by_zero').message, 'division is not ready');
			assert.equal(named(tests, 'test_expected_failure').message, 'known to be off by one');
		}
	});

	test('pytest\'s junitxml with junit_logging=all: what a failed test printed follows its failure', () => {
		const failure = named(readReport('junit', 'pytest/math-xunit1.xml'), 'test_prints_and_fails');
		assert.match(failure.details!, /^def test_prints_and_fails\(\):[^]*AssertionError\n\n-+ Captured Log -+[^]*the number is 3/);
	});

	test('pytest\'s junitxml: a test that failed and then errored in its teardown is one failed test with both told', () => {
		const tests = readReport('junit', 'pytest/teardown.xml');
		assert.deepEqual(outline(tests), ['failed test_both › test_fails_then_teardown_fails']);
		assert.deepEqual(countTests(tests), {total: 1, passed: 0, failed: 1, skipped: 0});
		assert.equal(tests[0]!.message, 'assert 1 == 2');
		assert.match(tests[0]!.details!, /test_both\.py:11: AssertionError\n\nfailed on teardown with "RuntimeError: cleanup failed"\n@pytest\.fixture/);
	});

	test('pytest\'s junitxml: a module that cannot be collected is an error named by the module', () => {
		assert.deepEqual(outline(readReport('junit', 'pytest/broken.xml')), ['error test_broken']);
	});
});
