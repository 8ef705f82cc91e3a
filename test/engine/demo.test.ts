import assert from 'node:assert/strict';
import {test} from 'node:test';
import {baleen, leftovers, runStart} from '../helpers/cli.js';
import {demoResults, repository, results} from '../helpers/config-fixtures.js';

// The image is made by script/images (npm run setup), as the demo's own `npm run demo` does.
test('the demo: the cucumber suite\'s files are found in its image and each has its known result', async () => {
	const {code, events, stderr} = await baleen(['--config', 'example/baleen.yml', '--project', 'cart'], {cwd: repository});
	const start = runStart(events);
	assert.deepEqual(leftovers(start.runId), []);
	assert.match(stderr, /^Fail: 7 passed, 1 failed of 8 files$/m, 'the log on stderr ends with the summary');
	assert.equal(start.image, 'baleen-example-cart');
	assert.equal(start.concurrency, 4);
	assert.deepEqual(results(events), demoResults);

	const delivery = events.find(event => event.type === 'test-end' && event.file === 'features/delivery.feature');
	assert.match(delivery?.type === 'test-end' ? delivery.stdout : '', /1\) Scenario: Free from 50\.00 exactly[\s\S]*3 scenarios \(1 failed, 2 passed\)/);
	const end = events.at(-1);
	assert.equal(end?.type === 'run-end' && end.exitCode, 1);
	assert.equal(code, 1, 'the demo exits 1: one feature fails on purpose');
});

test('the readme\'s toolchain recipe: the demo folder mounted into an image that holds only node', async () => {
	const {code, events} = await baleen([
		'features/**/*.feature', '-i', 'baleen-test-node', '-m', '.:/work', '-w', '/work', '-c', 'node node_modules/.bin/cucumber-js {file}', '-j', '4',
	], {cwd: `${repository}/example`});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	const statuses = Object.values(results(events));
	assert.equal(statuses.length, 8);
	assert.deepEqual(statuses.filter(status => status !== 'passed 0'), ['failed 1'], 'only delivery fails, as in the image');
	assert.equal(results(events)['features/delivery.feature'], 'failed 1');
	assert.equal(code, 1);
});
