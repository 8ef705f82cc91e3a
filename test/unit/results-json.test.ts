import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {resultsReader} from '../../source/results/registry.js';
import {countTests} from '../../source/results/tests.js';
import {mathSuite, named, outline, readReport, reportText} from '../helpers/reports.js';

describe('the jest-json reader on what jest writes', () => {
	test('each test, its describes as the classname, todo and skipped as skipped, a failure\'s first line as its message', () => {
		const tests = readReport('jest-json', 'jest/math.json');
		// As node's junit reporter tells the same suite.
		assert.deepEqual(outline(tests), mathSuite);
		const failure = named(tests, 'subtracts wrongly');
		assert.equal(failure.message, 'Error: expect(received).toBe(expected) // Object.is equality');
		assert.match(failure.details!, /Expected: 1\nReceived: 2\n {4}at Object\.toBe \(\/tmp\/baleen-reports\/jest\/suite\/math\.test\.js:8:17\)/);
		assert.equal(failure.timeMs, 6);
		assert.equal(named(tests, 'divides by zero').timeMs, undefined);
	});

	test('colours jest wrote into a failure (--colors, a terminal) are left out', () => {
		const report = JSON.parse(reportText('jest/math.json')) as {testResults: Array<{assertionResults: Array<{failureMessages: string[]}>}>};
		const failure = report.testResults[0]!.assertionResults[1]!;
		failure.failureMessages = failure.failureMessages.map(message => message.replace('Expected: 1', 'Expected: \u001B[32m1\u001B[39m'));
		const tests = resultsReader('jest-json').read(JSON.stringify(report), 'coloured.json');
		assert.ok(!('problem' in tests));
		assert.match(named(tests, 'subtracts wrongly').details!, /\nExpected: 1\n/);
	});

	test('a file that does not load is one test in error, named as jest heads it', () => {
		const tests = readReport('jest-json', 'jest/broken.json');
		assert.deepEqual(outline(tests), ['error Test suite failed to run']);
		assert.equal(tests[0]!.message, 'Cannot find module \'no-such-module\' from \'broken.test.js\'');
		assert.match(tests[0]!.details!, /> 1 \| require\('no-such-module'\);/);
	});

	test('an afterAll that throws after every test passed is an error beside them: the file failed and says so', () => {
		const tests = readReport('jest-json', 'jest/hook.json');
		assert.deepEqual(outline(tests), ['passed passes before the hook fails', 'error Test suite failed to run']);
		assert.equal(tests[1]!.message, 'could not close the database');
	});
});

describe('the rspec-json reader on what rspec writes', () => {
	test('each example, its describes and contexts as the classname, pending ones skipped with their reason', () => {
		const tests = readReport('rspec-json', 'rspec/math.json');
		assert.deepEqual(outline(tests), [
			'passed math › adds (1+1) [twice]?',
			'failed math › subtracts wrongly',
			'skipped math › divides by zero',
			'skipped math › is not written yet',
			'skipped math › is pending and still fails',
			'passed math nested › prints output',
			'failed math nested › raises an error',
		]);
		assert.deepEqual(countTests(tests), {total: 7, passed: 2, failed: 2, skipped: 3});
		const failure = named(tests, 'subtracts wrongly');
		assert.equal(failure.message, 'expected: 1\n     got: 2\n\n(compared using ==)');
		assert.match(failure.details!, /^RSpec::Expectations::ExpectationNotMetError: expected: 1\n/);
		assert.equal(failure.timeMs, 27);
		const raised = named(tests, 'raises an error');
		assert.equal(raised.message, 'not a number');
		assert.match(raised.details!, /^TypeError: not a number\n\/tmp\/baleen-reports\/rspec\/suite\/spec\/math_spec\.rb:27:in/);
		assert.equal(named(tests, 'divides by zero').message, 'division is not ready');
		assert.equal(named(tests, 'is not written yet').message, 'Not yet implemented');
	});

	test('a spec file that does not load is one test in error: rspec\'s error outside of examples', () => {
		const tests = readReport('rspec-json', 'rspec/broken.json');
		assert.deepEqual(outline(tests), ['error error outside of examples']);
		assert.equal(tests[0]!.message, 'An error occurred while loading ./spec/broken_spec.rb. - Did you mean?');
		assert.match(tests[0]!.details!, /LoadError:\n {2}cannot load such file -- no_such_library/);
		assert.doesNotMatch(tests[0]!.details!, /No examples found/);
	});
});
