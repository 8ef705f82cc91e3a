import assert from 'node:assert/strict';
import {chmodSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {RunEvent, TestRetry} from '../../source/events.js';
import {leftovers, runStart, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {frameworksFolder} from '../helpers/framework-suites.js';
import {readJunit} from '../helpers/junit.js';
import {runPreset, type PresetRun} from '../helpers/preset.js';

const flakyFolder = fileURLToPath(new URL('../fixtures/flaky', import.meta.url));

/** A suite of test/fixtures/flaky: one file of two steady tests and one that fails on its first run only. */
type FlakySuite = {
	image: string;
	/** The file as the preset names it (go: the package's folder). */
	file: string;
	/** The tests that always pass, as the report names them and as they write themselves into the runs. */
	steady: string[];
	/** The test that fails on its first run, named alike. */
	flaky: string;
	/** What the retry's `only` names: the flaky test's unit, as the framework's filter takes it. */
	unit: string;
	/** The report's other tests of that unit, which fail and pass with it: go's parent test. */
	alongside?: string[];
};

const suites: Record<string, FlakySuite> = {
	cucumber: {image: 'baleen-test-node', file: 'features/retries.feature', steady: ['passes always', 'passes too'], flaky: 'retries (once) [then passes]?', unit: 'retries (once) [then passes]?'},
	// mocha's unit is the full title: the describe, then the test's own.
	mocha: {image: 'baleen-test-node', file: 'test/retries.spec.js', steady: ['passes always', 'passes too'], flaky: 'retries (once) [then passes]?', unit: 'retries retries (once) [then passes]?'},
	pytest: {image: 'baleen-test-pytest', file: 'tests/test_retries.py', steady: ['test_passes_always', 'test_passes_too'], flaky: 'test_retries[once (then) passes?]', unit: 'test_retries[once (then) passes?]'},
	// go retries a top-level test, with its subtests.
	go: {image: 'baleen-test-go', file: 'retries', steady: ['TestPassesAlways', 'TestPassesToo'], flaky: 'TestRetriesOnce/then_(passes)?', unit: 'TestRetriesOnce', alongside: ['TestRetriesOnce']},
};

/** A run of the framework's flaky suite with `--retries 1`, its tests' state in a fresh folder, and what that folder saw: each test's name, once a run. */
async function runFlaky(framework: string, env: string[] = []): Promise<PresetRun & {runs: string[]}> {
	const state = folder();
	// The container's user writes here.
	chmodSync(state, 0o777);
	const {image} = suites[framework]!;
	// The JavaScript suites find the frameworks' node_modules at the root, as node walks up to it.
	const modules = image === 'baleen-test-node' ? ['-m', `${path.join(frameworksFolder, 'node_modules')}:/node_modules:ro`] : [];
	const run = await runPreset(framework, {
		suite: path.join(flakyFolder, framework),
		image,
		// A timings file of its own: no earlier run's times split the file.
		extra: [...modules, '-m', `${state}:/state`, '-e', 'BALEEN_STATE=/state', ...env.flatMap(entry => ['-e', entry]), '--retries', '1', '--timings', path.join(folder(), 'timings.json')],
	});
	assert.deepEqual(leftovers(runStart(run.events).runId), []);
	return {...run, runs: readFileSync(path.join(state, 'runs'), 'utf8').split('\n').filter(Boolean).sort()};
}

const retries = (events: RunEvent[]) => events.filter((event): event is TestRetry => event.type === 'test-retry');

/** The testcases of the JUnit report that hold an element of this tag, by name. */
const holding = (junit: string, tag: string) => readJunit(junit).cases
	.filter(({element}) => element.getElementsByTagName(tag).length > 0)
	.map(({name}) => name)
	.sort();

describe('--retries runs again only the tests that failed, through each framework\'s own filter', {concurrency: 5}, () => {
	for (const [framework, {file, steady, flaky, unit, alongside = []}] of Object.entries(suites)) {
		test(`${framework}: a test that fails once is flaky, and the steady ones ran once`, async () => {
			const run = await runFlaky(framework);
			assert.equal(run.code, 0, run.stderr);

			// Without per-test retry the whole file would run again, and the steady tests twice.
			assert.deepEqual(run.runs, [...steady, flaky, flaky].sort());
			assert.deepEqual(retries(run.events).map(({file, only}) => ({file, only})), [{file, only: [unit]}]);

			const [end, ...more] = testEnds(run.events);
			assert.equal(more.length, 0);
			assert.equal(end!.file, file);
			assert.equal(end!.status, 'flaky');
			assert.equal(end!.attempts, 2);
			const tests = end!.testcases ?? [];
			const flakyOnes = [flaky, ...alongside].sort();
			assert.deepEqual(tests.map(({name}) => name).sort(), [...steady, ...flakyOnes].sort());
			assert.ok(tests.every(({status}) => status === 'passed'));
			assert.deepEqual(tests.filter(test => test.flaky).map(({name}) => name).sort(), flakyOnes);
			for (const test of tests) {
				assert.deepEqual(test.earlier?.map(({status}) => status), test.flaky ? ['failed'] : undefined, test.name);
			}

			assert.match(tests.find(({name}) => name === flaky)!.earlier![0]!.message ?? '', /fails on its first run/);
			assert.deepEqual(holding(run.junit, 'flakyFailure'), flakyOnes);
			assert.deepEqual(holding(run.junit, 'rerunFailure'), []);
		});
	}

	test('mocha: a test that fails on every run fails, its retry too ran only it', async () => {
		const {file, steady, flaky, unit} = suites.mocha!;
		const run = await runFlaky('mocha', ['ALWAYS_FAIL=1']);
		assert.equal(run.code, 1);

		assert.deepEqual(run.runs, [...steady, flaky, flaky].sort());
		assert.deepEqual(retries(run.events).map(({file, only}) => ({file, only})), [{file, only: [unit]}]);

		const [end, ...more] = testEnds(run.events);
		assert.equal(more.length, 0);
		assert.equal(end!.status, 'failed');
		assert.equal(end!.attempts, 2);
		const tests = end!.testcases ?? [];
		assert.deepEqual(tests.map(({name, status}) => `${name}: ${status}`).sort(), [...steady.map(name => `${name}: passed`), `${flaky}: failed`].sort());
		const failed = tests.find(({name}) => name === flaky)!;
		assert.equal(failed.flaky, undefined);
		assert.match(failed.message ?? '', /fails on every run/);
		assert.deepEqual(failed.earlier?.map(({status, message}) => ({status, message})), [{status: 'failed', message: 'fails on its first run'}]);
		assert.ok(tests.filter(test => test !== failed).every(test => test.earlier === undefined));

		assert.deepEqual(holding(run.junit, 'rerunFailure'), [flaky]);
		assert.deepEqual(holding(run.junit, 'failure'), [flaky]);
		assert.deepEqual(holding(run.junit, 'flakyFailure'), []);
	});
});
