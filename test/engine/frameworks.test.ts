import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {leftovers, runStart, testEnds} from '../helpers/cli.js';
import {watchCreates} from '../helpers/containers-made.js';
import {frameworks, frameworksFolder, readExpected, type Expected, type Outcome} from '../helpers/framework-suites.js';
import {runPreset, type PresetRun} from '../helpers/preset.js';

/** The JavaScript suites need the node_modules of the folder above them: that folder is mounted. */
const rootOf = (image: string) => (image === 'baleen-test-node' ? frameworksFolder : undefined);

/**
A file as the preset names it. go's EXPECTED.json has the packages as `go test` was given them
(`./arithmetic`); the preset's files are the packages' folders (`arithmetic`), as every preset's
files are paths from the working directory.
*/
const presetFile = (name: string, file: string) => (name === 'go' ? file.replace(/^\.\//, '') : file);

const outcome = (junitOutcome: string): Outcome => (junitOutcome === 'failure' || junitOutcome === 'error' ? 'failed' : junitOutcome as Outcome);

/** Each test as `file › name: status`, sorted: the order of the report is the framework's business. */
const lines = (tests: Array<{file: string; name: string; status: Outcome}>) => tests.map(({file, name, status}) => `${file} › ${name}: ${status}`).sort();

/** The summary line a run of these files should end with: `Fail: 1 passed, 1 failed of 2 files; 3 passed, 1 failed, 1 skipped of 5 tests`. */
function expectedSummary({files, totals}: Expected): string {
	const statuses = Object.values(files).map(({status}) => status);
	const failedFiles = statuses.filter(status => status === 'failed').length;
	const {passed, failed, skipped} = totals;
	const testCounts = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
	return `${failedFiles > 0 ? 'Fail' : 'Pass'}: ${statuses.length - failedFiles} passed, ${failedFiles} failed of ${statuses.length} files; ${testCounts} of ${passed + failed + skipped} tests`;
}

describe('each preset, given only its name, the image and the suite\'s mount, reports its fixture suite as the framework itself does', {concurrency: 4}, () => {
	for (const [name, {image}] of Object.entries(frameworks)) {
		test(name, async () => {
			const expected = readExpected(name);
			const creates = watchCreates();
			const run: PresetRun = await runPreset(name, {suite: path.join(frameworksFolder, name), image, root: rootOf(image), extra: ['-j', '4']});
			const {runId} = runStart(run.events);

			assert.deepEqual(
				Object.fromEntries(testEnds(run.events).map(({file, status}) => [file, status])),
				Object.fromEntries(Object.entries(expected.files).map(([file, {status}]) => [presetFile(name, file), status])),
			);
			assert.deepEqual(
				lines(run.tests.map(({file, name: test, outcome: junitOutcome}) => ({file, name: test, status: outcome(junitOutcome)}))),
				lines(Object.entries(expected.files).flatMap(([file, {tests}]) => tests.map(({name: test, status}) => ({file: presetFile(name, file), name: test, status})))),
			);
			assert.equal(run.summary, expectedSummary(expected));
			const {passed, failed, skipped} = expected.totals;
			assert.deepEqual(run.totals, {total: passed + failed + skipped, passed, failed, skipped});
			assert.equal(run.code, Object.values(expected.files).some(({status}) => status === 'failed') ? 1 : 0);

			// The program is looked up once for the run, in a container of its own; each file has one.
			const made = await creates.stop(runId);
			assert.equal(made.filter(labels => labels['baleen.role'] === 'lookup').length, 1);
			assert.deepEqual(made.map(labels => labels['baleen.file']).filter(Boolean).sort(), Object.keys(expected.files).map(file => presetFile(name, file)).sort());
			assert.deepEqual(leftovers(runId), []);
		});
	}
});
