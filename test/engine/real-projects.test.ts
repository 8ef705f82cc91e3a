import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {leftovers, runStart, testEnds} from '../helpers/cli.js';
import {runPreset} from '../helpers/preset.js';

/**
Three real projects, each tried as a new user would: the preset alone, with the image and the project
mounted. BALEEN.md in each holds what the framework itself says, of each file run alone and of the
whole suite: each file's status and counts must be the same through baleen, and --junit must hold the
framework's own totals.
*/

type Counts = {passed: number; failed: number; skipped: number};
type Told = {files: Record<string, Counts & {status: 'passed' | 'failed'}>; totals: Counts};

const projectFolder = (name: string) => fileURLToPath(new URL(`../fixtures/real/${name}`, import.meta.url));
const cells = (row: string) => row.split('|').slice(1, -1).map(cell => cell.trim());
const numbers = (text: string) => [...text.matchAll(/\d+/g)].map(([digits]) => Number(digits));

/** BALEEN.md's table of files: express's `| file | exit | passed | failed | pending |`, toolz's and boltons' `| file | exit | tests | failed |`. */
function readBaleenMd(project: string): Told {
	const text = readFileSync(`${projectFolder(project)}/BALEEN.md`, 'utf8');
	const rows = text.split('\n').filter(line => /^\| \S+\.(?:js|py) \|/.test(line)).map(line => cells(line));
	const files = Object.fromEntries(rows.map(([file, exit, ...counts]) => {
		const [first, failed, skipped = 0] = counts.map(Number) as [number, number, number?];
		const passed = counts.length === 3 ? first : first - failed;
		return [file!, {status: exit === '0' ? 'passed' as const : 'failed' as const, passed, failed, skipped}];
	}));
	// The suite's totals, in bold: `**1260 tests: 1256 passed, 0 failed, 4 pending**`.
	const [, passed, failed, skipped] = numbers(/\*\*(\d+ tests: [^*]+)\*\*/.exec(text)![1]!) as [number, number, number, number];
	return {files, totals: {passed, failed, skipped}};
}

const countsOf = ({passed, failed, skipped}: Counts) => ({passed, failed, skipped});

describe('real projects, with the preset alone', {concurrency: 2}, () => {
	/** A pytest project through the preset: each file as BALEEN.md says pytest has it alone, pytest's own totals in --junit, nothing left. */
	const pytestProject = (project: string, extra: string[], summary: string, code: number) => async () => {
		const told = readBaleenMd(project);
		const run = await runPreset('pytest', {suite: projectFolder(project), image: 'baleen-test-pytest', extra});
		assert.deepEqual(
			Object.fromEntries(testEnds(run.events).map(({file, status, tests}) => [file, {status, ...countsOf(tests!)}])),
			told.files,
		);
		assert.deepEqual(countsOf(tally(run.tests)), told.totals);
		assert.equal(run.summary, summary);
		assert.equal(run.code, code);
		assert.deepEqual(leftovers(runStart(run.events).runId), []);
	};

	test('pytest on boltons with --isolate slot: each of its 29 files as pytest says it alone, and pytest\'s own totals for the suite',
		pytestProject('pytest-boltons', ['-j', '2', '--isolate', 'slot'], 'Pass: 29 passed, 0 failed of 29 files; 472 passed, 0 failed of 472 tests', 0));

	test('pytest on toolz: each of its 15 files as pytest says it alone, and pytest\'s own totals for the suite',
		pytestProject('pytest-toolz', ['-j', '4'], 'Fail: 14 passed, 1 failed of 15 files; 185 passed, 1 failed of 186 tests', 1));

	// 88 test files in two slots' containers (--isolate slot, the way issue 22's bench runs it): about 40 s on
	// a loaded machine of 2 cores, where a container per file took 3.5 minutes at -j 4. toolz has a container per file.
	test('mocha on express with --isolate slot: each of its 88 test files as mocha says it alone, and mocha\'s own totals for the suite', {timeout: 600_000}, async () => {
		const told = readBaleenMd('mocha-express');
		const suite = projectFolder('mocha-express');
		// Mocha's 2 s per test is the machine's business, not baleen's: a loaded machine trips it (express.urlencoded's "Infinity limit" test).
		const run = await runPreset('mocha', {suite, image: 'baleen-test-node', extra: ['-j', '2', '--isolate', 'slot', '--', '--timeout', '30000']});
		const ends = Object.fromEntries(testEnds(run.events).map(({file, status, tests}) => [file, {status, ...countsOf(tests!)}]));
		// The preset's files are every script below test/ (mocha's own default is test/*.js alone, which
		// misses test/acceptance/): its 3 helpers run too and pass without tests, as `mocha FILE` on one does.
		const helpers = Object.keys(ends).filter(file => !(file in told.files));
		assert.deepEqual(helpers.sort(), ['test/support/env.js', 'test/support/tmpl.js', 'test/support/utils.js']);
		for (const helper of helpers) {
			assert.deepEqual(ends[helper], {status: 'passed', passed: 0, failed: 0, skipped: 0});
			delete ends[helper];
		}

		assert.deepEqual(ends, told.files);
		// A file whose report was read and named no test has no testcase: --junit holds mocha's tests, and only them.
		assert.deepEqual(run.tests.filter(({file}) => helpers.includes(file)), []);
		assert.deepEqual(countsOf(tally(run.tests)), told.totals);
		assert.equal(run.summary, 'Pass: 91 passed, 0 failed of 91 files; 1256 passed, 0 failed, 4 skipped of 1260 tests');
		assert.equal(run.code, 0);
		assert.deepEqual(leftovers(runStart(run.events).runId), []);
	});
});

/** The testcases of --junit, counted by outcome. */
function tally(tests: Array<{outcome: string}>): Counts {
	const count = (...outcomes: string[]) => tests.filter(({outcome}) => outcomes.includes(outcome)).length;
	return {passed: count('passed'), failed: count('failure', 'error'), skipped: count('skipped')};
}
