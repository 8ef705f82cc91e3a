import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {
	leftovers, runGone, runStart, shellArgs, shellImage, start,
} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

const script = fileURLToPath(new URL('../../script/check-leftovers', import.meta.url));
const check = (tag: string) => spawnSync('bash', [script], {encoding: 'utf8', env: {...process.env, BALEEN_TAG: tag}});
/** A container labelled as baleen labels its own, kept alive: as if a run had left it. */
const labelled = (labels: Record<string, string>) => execFileSync('docker', [
	'run', '-d', ...Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]), shellImage, 'sleep', '300',
], {encoding: 'utf8'}).trim();

test('npm test\'s check for leftovers counts the suite\'s own runs (its BALEEN_TAG) alone: others\' runs on the engine do not fail it', async t => {
	const tag = `check-leftovers-${randomUUID()}`;
	const made: string[] = [];
	t.after(() => {
		spawnSync('docker', ['rm', '-f', ...made], {stdio: 'ignore'});
	});
	made.push(labelled({'baleen.run': `foreign-${tag}`}), labelled({'baleen.run': `other-${tag}`, 'baleen.tag': `another-${tag}`}));
	const others = check(tag);
	assert.equal(others.status, 0, others.stderr);
	assert.match(others.stdout, /no container of the suite's runs \(baleen\.tag=check-leftovers-.*\) is left on the engine/);

	// A run of the suite's: baleen labels what it makes with the tag it was started with.
	const directory = folder({'a.sh': 'sleep 60\n'});
	const running = start(shellArgs(directory), {cwd: directory, env: {BALEEN_TAG: tag}});
	const {runId} = runStart(await running.until(events => events.some(event => event.type === 'test-start')));
	const live = check(tag);
	assert.equal(live.status, 1);
	assert.match(live.stderr, new RegExp(`containers of the suite's runs \\(baleen\\.tag=${tag}\\) were left on the engine:\\n.* ${runId} a\\.sh`));
	await running.stop();
	await runGone(runId);
	assert.deepEqual(leftovers(runId), []);
	assert.equal(check(tag).status, 0);

	made.push(labelled({'baleen.run': `leaked-${tag}`, 'baleen.tag': tag}));
	const leaked = check(tag);
	assert.equal(leaked.status, 1);
	assert.match(leaked.stderr, new RegExp(` leaked-${tag} \\n?`));
});
