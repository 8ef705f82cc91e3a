import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {baleen, leftovers, runStart, testEnds} from '../helpers/cli.js';
import {demoResults, repository, results} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';
import {runPreset} from '../helpers/preset.js';

const nodeSuite = fileURLToPath(new URL('../fixtures/presets/node', import.meta.url));
const example = `${repository}/example`;

test('the original baleen\'s command line, from a folder without the suite: the files are found in the image, each scenario told', async () => {
	const cwd = folder();
	const {code, events, stderr} = await baleen(['cucumber', '--image', 'baleen-example-cart', '--files', 'features/', '--json'], {cwd});
	assert.match(stderr, /^baleen: features\/: not in \S+, so the cucumber files are looked for in the image \(as --find-in-image does\)$/m);
	assert.deepEqual(results(events), demoResults);
	assert.match(stderr, /^Fail: 7 passed, 1 failed of 8 files; 18 passed, 1 failed of 19 tests$/m);
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
});

test('the same command line from the suite\'s folder: the files are found here, the program in the image', async () => {
	const {code, events, stderr} = await baleen(['cucumber', '--image', 'baleen-example-cart', '--files', 'features/', '--json'], {cwd: example});
	assert.doesNotMatch(stderr, /looked for in the image/);
	assert.deepEqual(results(events), demoResults);
	assert.match(stderr, /^Fail: 7 passed, 1 failed of 8 files; 18 passed, 1 failed of 19 tests$/m);
	assert.equal(code, 1);
});

// In a git worktree whose example/node_modules is a link out of the folder, the mount holds no cucumber-js: run it from a checkout.
test('the same command line from the suite\'s folder, mounted into an image with node alone: the files are found here, the program in the mount', async () => {
	const {code, events, stderr} = await baleen(['cucumber', '--image', 'baleen-test-node', '-m', '.:/work', '-w', '/work', '--files', 'features/', '--json'], {cwd: example});
	assert.doesNotMatch(stderr, /looked for in the image/);
	assert.deepEqual(results(events), demoResults);
	const delivery = testEnds(events).find(end => end.file === 'features/delivery.feature');
	assert.deepEqual(delivery?.tests, {total: 3, passed: 2, failed: 1, skipped: 0});
	assert.match(stderr, /^Fail: 7 passed, 1 failed of 8 files; 18 passed, 1 failed of 19 tests$/m);
	assert.equal(code, 1);
});

test('a preset whose program is not in the image: one line naming the image and where it looked, exit 2, no file run', async () => {
	const {code, events, stderr} = await baleen(['cucumber', '--image', 'baleen-test-shell', '--files', 'features/', '--json'], {cwd: example});
	assert.equal(stderr.trim(), 'baleen: the cucumber preset: the image baleen-test-shell has no cucumber-js (looked for node_modules/.bin/cucumber-js in the working directory or a folder above, cucumber-js on the PATH); give the command with --command, or use an image that has it');
	assert.deepEqual(testEnds(events), []);
	assert.equal(code, 2);
});

test('node\'s preset: each test of each file in --junit and the summary, as node --test itself counts them', async () => {
	const run = await runPreset('node', {suite: nodeSuite, image: 'baleen-test-node'});
	assert.deepEqual(results(run.events), {'cart.test.mjs': 'failed 1', 'lib/stock.test.mjs': 'passed 0'});
	assert.deepEqual(run.tests.map(({file, name, outcome}) => `${file} › ${name}: ${outcome}`).sort(), [
		'cart.test.mjs › adds an item: passed',
		'cart.test.mjs › in yen: skipped',
		'cart.test.mjs › of a third: failure',
		'cart.test.mjs › to cents: passed',
		'lib/stock.test.mjs › counts tea: passed',
		'lib/stock.test.mjs › counts teapot: passed',
	]);
	assert.deepEqual(run.totals, {total: 6, passed: 4, failed: 1, skipped: 1});
	assert.equal(run.summary, 'Fail: 1 passed, 1 failed of 2 files; 4 passed, 1 failed, 1 skipped of 6 tests');
	assert.equal(run.code, 1);
});

test('the arguments after -- reach the framework as they are: node runs only the tests they name', async () => {
	const run = await runPreset('node', {suite: nodeSuite, image: 'baleen-test-node', extra: ['cart.test.mjs', '--', '--test-name-pattern', 'adds an item|to cents']});
	assert.deepEqual(results(run.events), {'cart.test.mjs': 'passed 0'});
	assert.equal(run.tests.filter(({outcome}) => outcome === 'passed').length, 2);
	assert.equal(run.code, 0);
});

test('baleen --help lists the presets; baleen NAME --help shows what one sets', async () => {
	const {code, stdout} = await baleen(['--help']);
	assert.match(stdout, /^ {4}cucumber {2}cucumber-js: each feature file/m);
	assert.match(stdout, /^ {4}go {8}go test: each package/m);
	assert.equal(code, 0);
	const preset = await baleen(['rspec', '--help']);
	assert.match(preset.stdout, /^ {4}command {4}\{program\} --format progress --format json --out \/tmp\/baleen-results\.json \{args\} \{file\}$/m);
	assert.match(preset.stdout, /^ {4}patterns {3}spec\/\*\*\/\*_spec\.rb;/m);
	assert.equal(preset.code, 0);
});

test('a misspelt framework is a usage error with the name it likely means', async () => {
	const {code, stderr} = await baleen(['pytset', '-i', 'x'], {cwd: folder()});
	assert.equal(stderr, 'baleen: unknown framework "pytset" (did you mean pytest?); the presets are cucumber, mocha, jest, vitest, node, pytest, rspec, go\n');
	assert.equal(code, 2);
});
