import assert from 'node:assert/strict';
import {test} from 'node:test';
import {schemaVersion, type RunEnd, type TestResult} from '../../source/events.js';
import {
	annotations, escapeData, escapeProperty, stepSummary, summaryLimitBytes,
} from '../../source/junit/github.js';

const result = (file: string, status: TestResult['status'], extra: Partial<TestResult> = {}): TestResult => ({
	file, status, exitCode: status === 'passed' ? 0 : 1, durationMs: 10, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, ...extra,
});
const end = (failed: number): RunEnd => ({
	schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: failed + 1, passed: 1, flaky: 0, failed, timedOut: 0, errored: 0, cancelled: 0}, durationMs: 2500, testDurationMs: 5000, exitCode: failed > 0 ? 1 : 0,
});

test('workflow command escaping: %, CR and LF everywhere, : and , in properties', () => {
	assert.equal(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
	assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
});

test('an annotation per file that did not pass, with its title and the end of its output; passed, flaky and cancelled files get none', () => {
	const lines = annotations([
		result('ok.sh', 'passed'),
		result('retried.sh', 'flaky', {exitCode: 0, stdout: 'passed the second time\n'}),
		result('spec/a,b:c.rb', 'failed', {stderr: 'one\ntwo\n'}),
		result('broken.sh', 'error', {exitCode: null, error: 'no such image'}),
		result('later.sh', 'cancelled', {exitCode: null}),
	]);
	assert.deepEqual(lines, [
		'::error file=spec/a%2Cb%3Ac.rb,title=spec/a%2Cb%3Ac.rb%3A failed%2C exit code 1::one%0Atwo',
		'::error file=broken.sh,title=broken.sh%3A error::no such image',
	]);
});

test('at most ten annotations, the tenth saying how many more there were', () => {
	const lines = annotations(Array.from({length: 13}, (_, index) => result(`f${index}.sh`, 'failed', {stdout: 'boom'})));
	assert.equal(lines.length, 10);
	assert.match(lines[9]!, /::boom%0A\(and 3 more files that did not pass\)$/);
});

test('the step summary: counts, time, each failure folded with its output, and never near GitHub\'s 1 MiB', () => {
	const text = stepSummary(end(1), [result('ok.sh', 'passed'), result('bad|file.sh', 'failed', {stdout: 'x ``` y\nlast line\n'})]);
	assert.match(text, /^### baleen: failed$/m);
	assert.match(text, /^\| 2 \| 1 \| 1 \| 0 \| 0 \| 0 \| 2\.5 s \|$/m);
	assert.match(text, /<details><summary><code>bad\\\|file\.sh<\/code>: failed<\/summary>\n\n````\nx ``` y\nlast line\n````/);
	assert.doesNotMatch(text, /ok\.sh/);
	const many = Array.from({length: 2000}, (_, index) => result(`f${index}.sh`, 'failed', {stdout: 'z'.repeat(2000)}));
	const big = stepSummary(end(2000), many);
	assert.ok(Buffer.byteLength(big) <= summaryLimitBytes, `${Buffer.byteLength(big)} bytes`);
	assert.match(big, /\(and \d+ more files that did not pass; see the JUnit report or the output dir\)\n$/);
});

test('with --results: the annotation names the failed tests, and the summary counts the tests', () => {
	const failed = result('test/cart.test.mjs', 'failed', {
		stdout: 'lots of output\n',
		tests: {total: 3, passed: 2, failed: 1, skipped: 0},
		testcases: [{name: 'adds', status: 'passed'}, {name: 'rounds', classname: 'cart', status: 'failed', message: '1 !== 2\nmore'}],
	});
	assert.deepEqual(annotations([failed]), ['::error file=test/cart.test.mjs,title=test/cart.test.mjs%3A failed%2C exit code 1::✗ cart › rounds: 1 !== 2']);
	const text = stepSummary({...end(1), tests: {total: 40, passed: 36, failed: 1, skipped: 3}}, [failed]);
	assert.match(text, /^Tests, as the frameworks reported them: 36 passed, 1 failed, 3 skipped of 40 tests\.$/m);
	assert.match(text, /```\n✗ cart › rounds: 1 !== 2\n\nlots of output\n```/);
});
