import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {leftovers, runEnd, runStart, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {frameworksFolder} from '../helpers/framework-suites.js';
import {runPreset} from '../helpers/preset.js';

/** A quarantine list in a folder of its own, named with `--quarantine`. */
function list(text: string): string {
	const file = path.join(folder(), 'quarantine.yml');
	writeFileSync(file, text);
	return file;
}

const suites = {
	mocha: {suite: path.join(frameworksFolder, 'mocha'), image: 'baleen-test-node', root: frameworksFolder, file: 'test/words.spec.js', failing: 'upper-cases a word'},
	pytest: {suite: path.join(frameworksFolder, 'pytest'), image: 'baleen-test-pytest', root: undefined, file: 'tests/test_words.py', failing: 'test_upper_cases_a_word'},
	cucumber: {suite: path.join(frameworksFolder, 'cucumber'), image: 'baleen-test-node', root: frameworksFolder, file: 'features/words.feature', failing: 'upper-cases a word'},
	go: {suite: path.join(frameworksFolder, 'go'), image: 'baleen-test-go', root: undefined, file: 'words', failing: 'TestUpperCasesAWord'},
} as const;

for (const [framework, {suite, image, root, file, failing}] of Object.entries(suites)) {
	const run = async (...extra: string[]) => runPreset(framework, {suite, image, root, extra: ['-j', '2', ...extra]});

	describe(`quarantine, on the ${framework} fixture suite`, {concurrency: 4}, () => {
		test('its one failing test quarantined: the run passes, and the JSON lines, the JUnit report and the summary say it is quarantined', async () => {
			const quarantine = list(`- test: "${failing}"\n  file: ${file}\n  reason: upper-casing is locale-dependent\n  owner: "@alice"\n  expires: 2999-12-31\n`);
			const result = await run('--quarantine', quarantine);
			assert.equal(result.code, 0, result.stderr);
			const end = testEnds(result.events).find(event => event.file === file)!;
			assert.equal(end.status, 'quarantined');
			assert.deepEqual(end.testcases!.find(test => test.name === failing)!.quarantined, {reason: 'upper-casing is locale-dependent', owner: '@alice', expires: '2999-12-31'});
			assert.equal(runEnd(result.events)!.summary.quarantined, 1);
			assert.equal(runEnd(result.events)!.exitCode, 0);
			assert.equal(result.tests.find(test => test.name === failing)!.outcome, 'skipped');
			assert.match(result.summary!, /^Pass: 1 passed, 0 failed, 1 quarantined of 2 files; /);
			assert.match(result.stderr, new RegExp(`◌ quarantined ${file.replaceAll('.', '\\.')} `));
			assert.deepEqual(leftovers(runStart(result.events).runId), []);
		});

		test('without the list, the same run fails', async () => {
			const result = await run();
			assert.equal(result.code, 1);
			assert.equal(testEnds(result.events).find(event => event.file === file)!.status, 'failed');
			assert.equal(result.tests.find(test => test.name === failing)!.outcome, 'failure');
		});

		test('with --retries, the file still runs again as before, and ends quarantined after its last attempt', async () => {
			const quarantine = list(`- test: "${failing}"\n  reason: upper-casing is locale-dependent\n  owner: "@alice"\n`);
			const result = await run('--quarantine', quarantine, '--retries', '1');
			assert.equal(result.code, 0, result.stderr);
			const end = testEnds(result.events).find(event => event.file === file)!;
			assert.deepEqual([end.status, end.attempts, end.earlier?.map(({status}) => status)], ['quarantined', 2, ['failed']]);
			assert.equal(result.events.filter(event => event.type === 'test-retry' && event.file === file).length, 1);
		});

		test('an expired entry fails the run, named with its owner, though its test was quarantined', async () => {
			const quarantine = list(`- test: "${failing}"\n  reason: upper-casing is locale-dependent\n  owner: "@alice"\n  expires: 2020-01-31\n`);
			const result = await run('--quarantine', quarantine);
			assert.equal(result.code, 1);
			assert.match(result.stderr, new RegExp(`^Quarantine expired: "${failing}", owner @alice, expired 2020-01-31 \\(upper-casing is locale-dependent\\)`, 'm'));
			assert.deepEqual(runEnd(result.events)!.quarantineExpired, [{test: failing, reason: 'upper-casing is locale-dependent', owner: '@alice', expires: '2020-01-31'}]);
			assert.equal(testEnds(result.events).find(event => event.file === file)!.status, 'quarantined');
		});
	});
}

test('a wrong entry of the list: one line naming the file and the entry, exit 2, nothing run', async () => {
	const quarantine = list('- test: a\n  reason: r\n  owner: o\n- test: b\n  reason: r\n');
	const {suite, image, root} = suites.mocha;
	const result = await runPreset('mocha', {suite, image, root, extra: ['--quarantine', quarantine]});
	assert.equal(result.code, 2);
	assert.equal(result.stderr, `baleen: ${quarantine}: entry 2: owner: is missing\n`);
	assert.deepEqual(result.events, []);
});
