import assert from 'node:assert/strict';
import {test} from 'node:test';
import {DOMParser, type Element} from '@xmldom/xmldom';
import {schemaVersion, type RunEnd, type FileResult, type RunStart, type TestResult} from '../../source/events.js';
import {boundedTail, junitXml} from '../../source/junit/xml.js';

const start: RunStart = {
	schema: schemaVersion, type: 'run-start', runId: 'r1', startedAt: '2026-11-30T12:00:00.000Z', total: 5, concurrency: 2, image: 'cart-tests', engine: 'unix:///var/run/docker.sock',
};
const result = (file: string, status: TestResult['status'], extra: Partial<FileResult> = {}): FileResult => ({
	file, status, exitCode: status === 'passed' ? 0 : 1, durationMs: 1500, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, containerId: 'c1', attempts: 1, ...extra,
});
const end = {schema: schemaVersion, type: 'run-end', runId: 'r1', summary: {total: 5, passed: 1, flaky: 0, failed: 1, timedOut: 1, errored: 1, cancelled: 1}, durationMs: 4200, testDurationMs: 7500, exitCode: 1} satisfies RunEnd;

/** Parsed by a strict, independent DOM parser: any error in the XML fails the test. */
function parse(xml: string) {
	const document = new DOMParser({onError(level, message) {
		if (level !== 'warning') {
			throw new Error(`${level}: ${message}`);
		}
	}}).parseFromString(xml, 'text/xml');
	const cases = [...document.getElementsByTagName('testcase')] as Element[];
	return {document, cases, byName: new Map(cases.map(element => [element.getAttribute('name'), element]))};
}

test('one testcase per file, with the suite totals and each outcome as CI tools read it', () => {
	const xml = junitXml(start, [
		result('features/cart/adding.feature', 'passed', {stdout: 'ok\n', stdoutBytes: 3}),
		result('features/delivery.feature', 'failed', {stdout: '1 failed\n', stdoutBytes: 9, stderr: 'assert\n', stderrBytes: 7}),
		result('slow.sh', 'timed-out', {exitCode: null}),
		result('broken.sh', 'error', {exitCode: null, error: 'invalid mount config'}),
		result('later.sh', 'cancelled', {exitCode: null, containerId: undefined, durationMs: 0}),
	], end);
	const {document, cases, byName} = parse(xml);
	const suite = document.getElementsByTagName('testsuite')[0]!;
	assert.deepEqual(['tests', 'failures', 'errors', 'skipped', 'time', 'timestamp'].map(name => suite.getAttribute(name)), ['5', '2', '1', '1', '4.200', '2026-11-30T12:00:00.000Z']);
	assert.equal(cases.length, 5);
	const delivery = byName.get('features/delivery.feature')!;
	assert.deepEqual(['classname', 'file', 'time'].map(name => delivery.getAttribute(name)), ['features', 'features/delivery.feature', '1.500']);
	assert.equal(delivery.getElementsByTagName('failure')[0]?.getAttribute('message'), 'failed with exit code 1');
	assert.equal(delivery.getElementsByTagName('system-out')[0]?.textContent, '1 failed\n');
	assert.equal(delivery.getElementsByTagName('system-err')[0]?.textContent, 'assert\n');
	assert.equal(byName.get('slow.sh')!.getElementsByTagName('failure')[0]?.getAttribute('type'), 'timed-out');
	assert.equal(byName.get('broken.sh')!.getElementsByTagName('error')[0]?.getAttribute('message'), 'invalid mount config');
	assert.equal(byName.get('later.sh')!.getElementsByTagName('skipped')[0]?.getAttribute('message'), 'not run: the run was cancelled');
	assert.equal(byName.get('slow.sh')!.getAttribute('classname'), '.');
	const passed = byName.get('features/cart/adding.feature')!;
	assert.equal(passed.childNodes.length, 0, 'a passed file carries no output');
});

test('whatever a file printed or is called, the XML stays well-formed and says it as text', () => {
	const nasty = 'a <b> & "c" \'d\' ]]> \u0000\u0007\u001B[31mred\u001B[0m \uD800 tab\tline\r\nend';
	const {byName} = parse(junitXml(start, [result(nasty, 'failed', {stdout: nasty, stdoutBytes: nasty.length})], end));
	const element = byName.get('a <b> & "c" \'d\' ]]> \uFFFD\uFFFDred \uFFFD tab\\tline\\r\\nend')!;
	assert.ok(element, 'the file name survives, as text');
	assert.equal(element.getElementsByTagName('system-out')[0]?.textContent, 'a <b> & "c" \'d\' ]]> \uFFFD\uFFFDred \uFFFD tab\tline\nend');
});

test('the output kept per file is bounded, and says how much came before', () => {
	const tail = boundedTail('x'.repeat(100), 1000, 40);
	assert.equal(tail, `[… 960 bytes before this were cut]\n${'x'.repeat(40)}`);
	assert.equal(boundedTail('short', 5, 40), 'short');
	assert.match(boundedTail('tail only', 5000), /^\[… 4991 bytes before this were cut\]\ntail only$/);
	const huge = 'y'.repeat(64 * 1024);
	const xml = junitXml(start, Array.from({length: 100}, (_, index) => result(`f${index}.sh`, 'failed', {stdout: huge, stdoutBytes: 10 ** 9, stderr: huge, stderrBytes: huge.length})), end);
	assert.ok(xml.length < 100 * 2 * (16 * 1024 + 500), `100 failures of 64 KiB tails stay near 3.3 MB, not ${xml.length}`);
});

test('--results: the framework\'s own testcases, each with its file; a file that failed with no failed test keeps its own testcase', () => {
	const xml = junitXml(start, [
		result('test/a.test.mjs', 'failed', {
			tests: {total: 3, passed: 1, failed: 1, skipped: 1},
			testcases: [
				{name: 'adds', classname: 'cart', timeMs: 12, status: 'passed'},
				{name: 'rounds', classname: 'cart', timeMs: 3, status: 'failed', message: '1 !== 2', details: 'AssertionError: 1 !== 2\n    at x.js:1'},
				{name: 'later', status: 'skipped', message: 'todo'},
			],
		}),
		result('test/crash.test.mjs', 'failed', {tests: {total: 1, passed: 1, failed: 0, skipped: 0}, testcases: [{name: 'fine', status: 'passed'}], stderr: 'Segmentation fault\n', stderrBytes: 19}),
		result('test/none.test.mjs', 'passed', {resultsError: 'no such file'}),
	], end);
	const {document, cases} = parse(xml);
	assert.deepEqual(cases.map(element => `${element.getAttribute('file')}: ${element.getAttribute('classname')} ${element.getAttribute('name')}`), [
		'test/a.test.mjs: cart adds',
		'test/a.test.mjs: cart rounds',
		'test/a.test.mjs: test later',
		'test/crash.test.mjs: test fine',
		'test/crash.test.mjs: test test/crash.test.mjs',
		'test/none.test.mjs: test test/none.test.mjs',
	]);
	const failure = cases[1]!.getElementsByTagName('failure')[0]!;
	assert.deepEqual([failure.getAttribute('message'), failure.textContent, cases[1]!.getAttribute('time')], ['1 !== 2', 'AssertionError: 1 !== 2\n    at x.js:1', '0.003']);
	assert.equal(cases[2]!.getElementsByTagName('skipped')[0]!.getAttribute('message'), 'todo');
	assert.equal(cases[4]!.getElementsByTagName('system-err')[0]!.textContent, 'Segmentation fault\n');
	const suite = document.getElementsByTagName('testsuite')[0]!;
	assert.deepEqual(['tests', 'failures', 'errors', 'skipped'].map(name => suite.getAttribute(name)), ['6', '2', '0', '1']);
});

test('earlier attempts are flaky or rerun failures and errors, but attempts lost to the engine are left out: they say nothing about the test', () => {
	const lost = {status: 'error', exitCode: null, durationMs: 10, error: 'the engine went away', lost: true} as const;
	const xml = junitXml(start, [
		result('flaky.sh', 'flaky', {attempts: 3, earlier: [lost, {status: 'failed', exitCode: 1, durationMs: 20}]}),
		result('stable.sh', 'passed', {attempts: 2, earlier: [lost]}),
		result('broken.sh', 'error', {attempts: 4, exitCode: null, error: 'invalid mount config', earlier: [lost, {status: 'timed-out', exitCode: null, durationMs: 30_000}, {status: 'error', exitCode: null, durationMs: 5, error: 'no such image'}]}),
	], end);
	const {byName} = parse(xml);
	const children = (file: string) => [...byName.get(file)!.childNodes].flatMap(node => node.nodeType === 1 ? [(node as Element).nodeName] : []);
	assert.deepEqual(children('flaky.sh'), ['flakyFailure']);
	assert.deepEqual(children('stable.sh'), [], 'a pass after an attempt lost to the engine is a plain pass');
	assert.deepEqual(children('broken.sh'), ['error', 'rerunFailure', 'rerunError']);
	const rerunError = byName.get('broken.sh')!.getElementsByTagName('rerunError')[0]!;
	assert.equal(rerunError.getAttribute('message'), 'no such image');
	assert.doesNotMatch(xml, /engine-lost|the engine went away/);
});

test('a file whose report was read and named no test has no testcase, unless it failed', () => {
	const none = {testcases: [], tests: {total: 0, passed: 0, failed: 0, skipped: 0}};
	const {cases} = parse(junitXml(start, [
		result('test/support/env.js', 'passed', none),
		result('test/broken.js', 'failed', none),
		result('test/unread.js', 'passed'),
	], end));
	assert.deepEqual(cases.map(element => element.getAttribute('name')), ['test/broken.js', 'test/unread.js']);
});

test('a retry of the failed tests alone: a test that passed on it has its earlier failure as a flakyFailure, one that failed again a rerunFailure', () => {
	const xml = junitXml(start, [result('spec/a.js', 'failed', {testcases: [
		{name: 'steady', status: 'passed', timeMs: 5},
		{name: 'wobbly', status: 'passed', timeMs: 5, flaky: true, earlier: [{status: 'failed', message: 'expected 1 to be 2', details: 'at a.js:3'}]},
		{name: 'broken', status: 'failed', timeMs: 5, message: 'still', earlier: [{status: 'failed', message: 'first'}]},
	]})], end);
	const {byName} = parse(xml);
	const names = (name: string) => [...byName.get(name)!.childNodes].flatMap(node => (node.nodeType === 1 ? [(node as Element).tagName] : []));
	assert.deepEqual(names('steady'), []);
	assert.deepEqual(names('wobbly'), ['flakyFailure']);
	assert.equal(byName.get('wobbly')!.getElementsByTagName('flakyFailure')[0]?.getAttribute('message'), 'expected 1 to be 2');
	assert.equal(byName.get('wobbly')!.getElementsByTagName('flakyFailure')[0]?.textContent, 'at a.js:3');
	assert.deepEqual(names('broken'), ['failure', 'rerunFailure']);
});

test('what each file\'s container took is in its testcases\' properties, beside a quarantine entry; each test of a file carries its file\'s', () => {
	const resources = {memoryPeakBytes: 125_829_120, cpuMs: 1012, pidsPeak: 21};
	const xml = junitXml(start, [
		result('heavy.sh', 'passed', {resources}),
		result('tests.js', 'passed', {resources, testcases: [{name: 'one', status: 'passed'}, {name: 'two', status: 'passed'}]}),
		result('plain.sh', 'passed'),
	], end);
	const {cases, byName} = parse(xml);
	const properties = (element: Element) => Object.fromEntries([...element.getElementsByTagName('property')].map(property => [property.getAttribute('name'), property.getAttribute('value')]));
	const expected = {memoryPeakBytes: '125829120', cpuMs: '1012', pidsPeak: '21'};
	assert.deepEqual(properties(byName.get('heavy.sh')!), expected);
	assert.deepEqual(properties(byName.get('one')!), expected);
	assert.deepEqual(properties(byName.get('two')!), expected);
	assert.equal(byName.get('plain.sh')!.getElementsByTagName('properties').length, 0);
	assert.equal(cases.length, 4);
});
