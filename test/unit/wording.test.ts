import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {TestResult} from '../../source/events.js';
import {
	count, failureDetails, notRunLine, resultLine, startParts,
} from '../../source/report/wording.js';
import {runStart} from './ui-fixtures.js';

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
});
