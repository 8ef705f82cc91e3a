import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {TestResult} from '../../source/events.js';
import {
	count, detailed, failureDetails, notRunLine, resultLine, startParts, summaryLines,
} from '../../source/words/lines.js';
import {schemaVersion, type RunEnd} from '../../source/events.js';
import {runStart} from '../helpers/fixtures.js';

const result = (extra: Partial<TestResult>): TestResult => ({
	file: 'a.js', status: 'failed', exitCode: 1, durationMs: 1500, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, ...extra,
});

describe('the words of the reports', () => {
	it('says 1 file, 2 files', () => {
		assert.equal(count(1, 'file'), '1 file');
		assert.equal(count(0, 'file'), '0 files');
		assert.equal(startParts(runStart(1, 1)).files, '1 file');
		assert.equal(notRunLine(1), '- 1 file not run');
		assert.equal(notRunLine(51), '- 51 files not run');
	});

	it('leaves baleen\'s own kill code out of a timed-out file\'s row and its details alike', () => {
		const timedOut = result({status: 'timed-out', exitCode: 137, stdout: 'started\n', stdoutBytes: 8});
		assert.equal(resultLine(timedOut), '⏱ timed out a.js (1.5s)');
		assert.equal(failureDetails(timedOut)[0], '── a.js: timed out');
		const killedItself = result({exitCode: 137});
		assert.equal(resultLine(killedItself), '✗ failed    a.js (exit 137, 1.5s)');
		assert.equal(failureDetails(killedItself)[0], '── a.js: failed, exit code 137');
	});

	it('says plainly that a command is not in the image, naming it from the shell\'s line', () => {
		for (const stderr of ['sh: line 0: mocha: not found\n', 'sh: 1: mocha: not found\n', 'bash: line 1: mocha: command not found\n']) {
			const missing = result({exitCode: 127, stderr, stderrBytes: stderr.length});
			assert.equal(resultLine(missing), '✗ failed    a.js (exit 127: command not found in the image: mocha, 1.5s)', stderr);
			assert.equal(failureDetails(missing)[0], '── a.js: failed, exit code 127 (command not found in the image: mocha)');
		}

		assert.equal(resultLine(result({exitCode: 127})), '✗ failed    a.js (exit 127: command not found in the image, 1.5s)');
	});

	it('shows a hint in the row and in the details when there is one', () => {
		const stale = result({hint: 'a.js is not in the image: the image may be stale'});
		assert.equal(resultLine(stale), '✗ failed    a.js (exit 1, 1.5s, a.js is not in the image: the image may be stale)');
		assert.deepEqual(failureDetails(stale), ['── a.js: failed, exit code 1', '  hint: a.js is not in the image: the image may be stale']);
	});

	it('says how much of a stream the details leave out, and where all of it is or how to keep it', () => {
		const lines = Array.from({length: 100}, (_, index) => `line ${index + 1}`).join('\n') + '\n';
		const bytes = Buffer.byteLength(lines);
		const held = detailed(result({stdout: lines, stdoutBytes: bytes}));
		const shown = failureDetails(held);
		assert.deepEqual(shown.slice(1, 4), ['  stdout:', `    [… 80 lines, ${bytes - Buffer.byteLength(lines.split('\n').slice(80).join('\n'))} B before this; run with --output-dir DIR to keep all of it]`, '    line 81']);
		assert.equal(shown.at(-1), '    line 100');
		// Only the last 64 KiB were kept of 5 MiB: the lines before the kept part are not known.
		const cut = failureDetails(detailed(result({stdout: lines, stdoutBytes: 5 * 1024 * 1024, outputFolder: '/ci/out/files/a.js'})));
		assert.match(cut[2]!, /^ {4}\[… at least 80 lines, 5 MiB before this; all of it in \/ci\/out\/files\/a\.js\/stdout\.log\]$/);
		assert.equal(failureDetails(result({stderr: 'short\n', stderrBytes: 6})).length, 3, 'a stream shown whole says nothing more');
	});

	it('names the tests the framework saw fail, and counts them in the row and the summary', () => {
		const failed = result({
			tests: {total: 14, passed: 7, failed: 7, skipped: 0},
			testcases: Array.from({length: 7}, (_, index) => ({name: `t${index}`, classname: 'cart', status: 'failed' as const, message: `boom ${index}\nstack`})),
		});
		assert.equal(resultLine(failed), '✗ failed    a.js (exit 1, 1.5s, 7 of 14 tests failed)');
		assert.deepEqual(failureDetails(detailed(failed)).slice(1), ['  failed tests:', '    ✗ cart › t0: boom 0', '    ✗ cart › t1: boom 1', '    ✗ cart › t2: boom 2', '    ✗ cart › t3: boom 3', '    ✗ cart › t4: boom 4', '    … and 2 more']);
		assert.equal(resultLine(result({status: 'passed', exitCode: 0, resultsError: 'no such file or folder in the container: /tmp/j.xml'})), '✓ passed    a.js (1.5s, no results: no such file or folder in the container: /tmp/j.xml)');
		const end: RunEnd = {
			schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 88, passed: 88, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0}, durationMs: 20_000, testDurationMs: 40_000, exitCode: 0, tests: {total: 1259, passed: 1256, failed: 0, skipped: 3},
		};
		assert.equal(summaryLines(end)[0], 'Pass: 88 passed, 0 failed of 88 files; 1256 passed, 0 failed, 3 skipped of 1259 tests');
	});
});

describe('the time line', () => {
	it('tells the speed-up of a run that ran files, and no made-up one when none ran', () => {
		const end = (summary: Partial<RunEnd['summary']>, testDurationMs: number): RunEnd => ({
			schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 0, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0, ...summary}, durationMs: 2000, testDurationMs, exitCode: 0,
		});
		assert.equal(summaryLines(end({total: 2, passed: 2}, 3000)).at(-1), 'Time: 2.0s (files took 3.0s in all, 1.5x from running in parallel)');
		assert.equal(summaryLines(end({}, 0)).at(-1), 'Time: 2.0s');
		assert.equal(summaryLines(end({total: 3, cancelled: 3}, 0)).at(-1), 'Time: 2.0s');
	});

	it('tells no speed-up of a run that ran one file, or one file at a time', () => {
		const end = (summary: Partial<RunEnd['summary']>, testDurationMs: number): RunEnd => ({
			schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 0, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0, ...summary}, durationMs: 2000, testDurationMs, exitCode: 0,
		});
		assert.equal(summaryLines(end({total: 1, passed: 1}, 1600)).at(-1), 'Time: 2.0s');
		assert.equal(summaryLines(end({total: 3, passed: 1, cancelled: 2}, 1600)).at(-1), 'Time: 2.0s');
		assert.equal(summaryLines(end({total: 3, passed: 3}, 1900), 1).at(-1), 'Time: 2.0s');
		assert.equal(summaryLines(end({total: 3, passed: 3}, 4000), 2).at(-1), 'Time: 2.0s (files took 4.0s in all, 2.0x from running in parallel)');
	});
});

describe('the counts', () => {
	it('tell files and tests in one form: each status, then of how many', () => {
		const end: RunEnd = {
			schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 1, passed: 1, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0}, durationMs: 20, testDurationMs: 20, exitCode: 0,
		};
		assert.equal(summaryLines(end)[0], 'Pass: 1 passed, 0 failed of 1 file');
		assert.equal(summaryLines({...end, tests: {total: 1, passed: 1, failed: 0, skipped: 0}})[0], 'Pass: 1 passed, 0 failed of 1 file; 1 passed, 0 failed of 1 test');
	});
});
