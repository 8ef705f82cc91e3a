import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {resultsReader, resultsReaders, type ResultsFormat} from '../../source/results/registry.js';
import {readResults} from '../../source/results/tests.js';
import {reportText} from '../helpers/reports.js';

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

	test('a failure with no message, or an empty one, has its body\'s first line as its message', () => {
		const parsed = parseResults('<testsuite><testcase name="a"><failure message="">\n\n  boom\n  at x</failure></testcase><testcase name="b"><failure>bang</failure></testcase></testsuite>', 'r.xml');
		assert.ok('testcases' in parsed);
		assert.deepEqual(parsed.testcases.map(test => test.message), ['boom', 'bang']);
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

describe('what is not a report of the format asked for', () => {
	const reports = {
		junit: ['cucumber/math.xml', 'mocha/math.xml', 'node/math.xml', 'pytest/math.xml', 'vitest/math.xml'],
		'jest-json': ['jest/math.json'],
		'rspec-json': ['rspec/math.json'],
		'go-json': ['go/math.jsonl', 'go/broken.jsonl'],
	} as const satisfies Record<ResultsFormat, readonly string[]>;

	test('each format\'s reader given every other format\'s real report says why in one line naming the path, never throws', () => {
		for (const [format, reader] of Object.entries(resultsReaders)) {
			for (const file of Object.entries(reports).filter(([other]) => other !== format).flatMap(([, files]) => files)) {
				const read = reader.read(reportText(file), file);
				assert.ok('problem' in read, `${format} read ${file}`);
				assert.ok(read.problem.startsWith(`${file} is `), read.problem);
				assert.doesNotMatch(read.problem, /\n/);
			}
		}
	});

	test('an empty report, and one that is not what its format holds, each say so', () => {
		for (const format of ['jest-json', 'rspec-json', 'go-json'] as const) {
			assert.deepEqual(resultsReader(format).read(' \n', 'r'), {problem: `r is not ${{'jest-json': 'a jest --json report', 'rspec-json': 'an rspec --format json report', 'go-json': 'a go test -json stream'}[format]}: it is empty`});
		}

		assert.deepEqual(resultsReader('jest-json').read('{"testResults": [{"assertionResults": "none"}]}', 'r.json'), {
			problem: 'r.json is not a jest --json report: testResults.0.assertionResults: expected array, received string',
		});
		assert.deepEqual(resultsReader('rspec-json').read('[]', 'r.json'), {problem: 'r.json is not an rspec --format json report: expected object, received array'});
		assert.deepEqual(resultsReader('go-json').read('ok  \texample.com/suite\t0.01s\n', 'r.jsonl'), {problem: 'r.jsonl is not a go test -json stream: no line of it is a test2json event'});
	});

	test('a JSON report cut short says where it ends', () => {
		for (const [format, file] of [['jest-json', 'jest/math.json'], ['rspec-json', 'rspec/math.json']] as const) {
			const text = reportText(file);
			const read = resultsReader(format).read(text.slice(0, text.length / 2), file);
			assert.ok('problem' in read);
			assert.match(read.problem, new RegExp(`^${file} is not an? (jest|rspec) [^\\n]+: it is not JSON \\([^\\n]*JSON[^\\n]*\\)$`));
		}
	});
});
