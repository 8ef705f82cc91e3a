import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {resultsReader, resultsReaders} from '../../source/results/registry.js';
import {readResults} from '../../source/results/tests.js';

/** A report as the run reads it: through the registry, counted. */
const parseResults = (text: string, path: string) => readResults(resultsReader('junit'), {path, text});

/** What node's built-in junit reporter writes (v20): top-level tests beside a suite per `describe`. */
const nodeReport = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testcase name="top ok" time="0.021647" classname="test"/>
	<testsuite name="group" time="0.001982" tests="4" failures="1" skipped="2">
		<testcase name="inner ok" time="0.000270" classname="test"/>
		<testcase name="inner bad" time="0.000976" classname="test" failure="1 == 2">
			<failure type="testCodeFailure" message="1 == 2">
Error [ERR_TEST_FAILURE]: 1 == 2
    at TestContext.&lt;anonymous> (file:///suite/a.test.mjs:4:88)
			</failure>
		</testcase>
		<testcase name="skipped one" time="0.000118" classname="test"><skipped type="skipped" message="true"/></testcase>
		<testcase name="todo one" time="0.000090" classname="test"><skipped type="todo" message="true"/></testcase>
	</testsuite>
	<!-- tests 5 -->
</testsuites>`;

describe('a framework\'s JUnit report', () => {
	test('node\'s: every testcase at any depth, each outcome, the failure\'s message and body', () => {
		const parsed = parseResults(nodeReport, '/tmp/junit.xml');
		assert.ok('testcases' in parsed);
		assert.deepEqual(parsed.tests, {total: 5, passed: 2, failed: 1, skipped: 2});
		assert.deepEqual(parsed.testcases.map(({name, status}) => `${name}: ${status}`), ['top ok: passed', 'inner ok: passed', 'inner bad: failed', 'skipped one: skipped', 'todo one: skipped']);
		const bad = parsed.testcases[2]!;
		assert.equal(bad.message, '1 == 2');
		// node's classname is `test` for every testcase: the describe that holds it is told instead.
		assert.equal(bad.classname, 'group');
		assert.equal(bad.timeMs, 1);
		assert.match(bad.details!, /^Error \[ERR_TEST_FAILURE\]: 1 == 2\n {4}at TestContext\.<anonymous>/);
	});

	test('a lone <testsuite> (cucumber, pytest\'s older form), an <error> counted as failed', () => {
		const parsed = parseResults('<testsuite name="s"><testcase name="a"/><testcase name="b"><error message="boom"/></testcase></testsuite>', 'r.xml');
		assert.ok('tests' in parsed);
		assert.deepEqual(parsed.tests, {total: 2, passed: 1, failed: 1, skipped: 0});
		assert.equal(parsed.testcases[1]!.status, 'error');
	});

	test('character references in a message are its characters (cucumber writes line breaks as &#xA;)', () => {
		const parsed = parseResults('<testsuite><testcase name="a"><failure message="equal:&#xA;&#xA;495 !== 0 &amp; &lt;x&gt;"/></testcase></testsuite>', 'r.xml');
		assert.ok('testcases' in parsed);
		assert.equal(parsed.testcases[0]!.message, 'equal:\n\n495 !== 0 & <x>');
	});

	test('several suites of <testsuites> (mocha-junit-reporter, pytest), and an empty report', () => {
		const parsed = parseResults('<testsuites><testsuite><testcase name="a"/></testsuite><testsuite><testcase name="b"><skipped/></testcase></testsuite></testsuites>', 'r.xml');
		assert.ok('tests' in parsed);
		assert.deepEqual(parsed.tests, {total: 2, passed: 1, failed: 0, skipped: 1});
		assert.deepEqual(parseResults('<testsuites/>', 'r.xml'), {testcases: [], tests: {total: 0, passed: 0, failed: 0, skipped: 0}});
	});

	test('a long failure is kept bounded, its start and its end', () => {
		const parsed = parseResults(`<testsuite><testcase name="a"><failure message="${'m'.repeat(5000)}">${'start '.repeat(2000)}the end</failure></testcase></testsuite>`, 'r.xml');
		assert.ok('testcases' in parsed);
		assert.ok(parsed.testcases[0]!.message!.length < 1100);
		assert.ok(parsed.testcases[0]!.details!.length < 4200);
		assert.match(parsed.testcases[0]!.details!, /\[…\]\n.*the end$/s);
	});

	test('what is not a report says why, never throws', () => {
		const cut = parseResults('<testsuite><testcase name="a">', 'r.xml');
		assert.ok('problem' in cut);
		assert.match(cut.problem, /^r\.xml is not well-formed XML \(line 1: [^\n]+\)$/);
		assert.deepEqual(parseResults('<coverage/>', 'r.xml'), {problem: 'r.xml is not a JUnit report: it has no <testsuites> or <testsuite>'});
		assert.ok('problem' in parseResults('', 'r.xml'));
	});
});

describe('the registry of report formats', () => {
	test('JUnit is what a run reads when it names no format; each format is kept under a name of its own', () => {
		assert.equal(resultsReader(), resultsReaders.junit);
		const kept = Object.values(resultsReaders).map(reader => reader.keptAs);
		assert.equal(new Set(kept).size, kept.length);
	});

	test('a report the backend could not bring out passes on its problem; no reader is asked', () => {
		const reader = {...resultsReader(), read() {
			assert.fail('read a report that was not there');
		}};
		assert.deepEqual(readResults(reader, {path: 'r.xml', problem: 'no such file'}), {problem: 'no such file'});
	});
});
