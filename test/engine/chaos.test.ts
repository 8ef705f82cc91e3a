import assert from 'node:assert/strict';
import {test} from 'node:test';
import {chaosSuite} from '../../bench/chaos.js';
import {chaos} from '../../bench/lib/chaos.js';
import {cliPath} from '../helpers/cli.js';
import {privateEngine} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';

const engine = privateEngine('chaos-test', 52);

// The small version of `npm run bench -- chaos` (1,000 files): the same monkey and the same rules.
test('chaos: containers killed and removed from outside and an engine restart; every file ends once, as its fate says, and nothing is left', async () => {
	const report = await chaos({cli: cliPath, suite: folder(chaosSuite(40)), engine: engine(), concurrency: 4, everyMs: 300, restartAt: 0.5, seed: 7});
	console.log(`chaos: ${JSON.stringify(report)}`);
	assert.deepEqual(report.problems, []);
	assert.ok(report.blows.kill + report.blows.rm > 0, 'some blow landed');
	assert.ok(report.restartMs !== undefined, 'the engine was restarted');
	assert.equal(report.files, 40);
});
