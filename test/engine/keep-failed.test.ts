import assert from 'node:assert/strict';
import {existsSync, rmSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {baleen, byFile, cliPath, notTheRun, runStart, shellArgs} from '../helpers/cli.js';
import {privateEngine} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';
import {Terminal, removeDir} from './terminal.js';

/*
--keep-failed and baleen repro on a real engine, one of these tests' own: `baleen clean` removes every
kept image it finds, and on the shared engine that could be another run's.
*/
const engine = privateEngine('keep', 58);
const env = () => ({DOCKER_HOST: engine().host});
const secret = 'hunter2-not-shown';
const suite = {
	'fail.sh': 'echo "evidence of $BALEEN_RUN_ID" > /tmp/evidence\necho failing >&2\nexit 3\n',
	'pass.sh': 'echo ok\n',
};

/** The images labelled as kept by a run, on the tests' engine. */
const keptBy = (runId: string) => engine().docker('images', '-q', '--no-trunc', '--filter', `label=baleen.run=${runId}`, '--filter', 'label=baleen.kept').split('\n').filter(Boolean);

describe('--keep-failed and baleen repro', () => {
	const cleanups: Array<() => void> = [];
	after(() => {
		for (const cleanup of cleanups.reverse()) {
			cleanup();
		}
	});

	function terminal(dir: string, command: string): Terminal {
		// The terminals share the run's folder, where each writes its exit status.
		rmSync(path.join(dir, '.exit-status'), {force: true});
		const term = new Terminal(dir, command, {width: 200, height: 40});
		cleanups.push(() => {
			term.close();
		});
		return term;
	}

	const dir = folder(suite);
	cleanups.push(() => {
		removeDir(dir);
	});
	let runId = '';
	let image = '';
	let command = '';

	it('keeps the failed file\'s container as an image, labelled with its run and file, and tells the command', async () => {
		const result = await baleen([...shellArgs(dir, '--keep-failed', '-e', `SECRET=${secret}`)], {cwd: dir, env: env()});
		assert.equal(result.code, 1, result.stderr);
		runId = runStart(result.events).runId;
		const ends = byFile(result.events);
		assert.equal(ends.get('pass.sh')?.kept, undefined);
		const kept = ends.get('fail.sh')?.kept;
		assert.ok(kept, 'the failed file\'s test-end names its kept image');
		image = kept.image;
		command = kept.command;
		assert.deepEqual(keptBy(runId), [image]);
		const labels = JSON.parse(engine().docker('image', 'inspect', image, '--format', '{{json .Config.Labels}}')) as Record<string, string>;
		assert.equal(labels['baleen.file'], 'fail.sh');
		assert.ok(Number.isFinite(Date.parse(labels['baleen.kept'] ?? '')), `a kept-at time, not ${labels['baleen.kept']}`);
		// What the file wrote before it failed is in the image.
		assert.equal(engine().docker('run', '--rm', ...notTheRun, '--entrypoint', 'cat', image, '/tmp/evidence').trim(), `evidence of ${runId}`);

		assert.ok(result.stderr.includes(`  kept: ${command}`), result.stderr);
		assert.ok(!command.includes(secret) && !result.stderr.includes(secret) && !result.stdout.includes(secret), 'no env value is printed');
		assert.match(command, /^docker run --rm -it --env-file \S+ -w \/suite -v \S+:\/suite --label baleen.run= --label baleen.owner= --label baleen.deadline= --entrypoint \/bin\/sh sha256:[\da-f]{64} -i$/);
		assert.equal(statSync(kept.envFile).mode & 0o777, 0o600);
		assert.equal(statSync(path.join(dir, '.baleen', 'last-run-specs.json')).mode & 0o777, 0o600);
	});

	it('opens a shell in that state with the printed command, the run\'s env set', async () => {
		assert.ok(command, 'the run before kept an image');
		const term = terminal(dir, `DOCKER_HOST=${engine().host} ${command}`);
		await until(() => /\/suite #\s*$/m.test(term.visible()), 'the kept image\'s shell', 60_000, () => term.describe());
		term.keys('cat /tmp/evidence; echo "secret=$SECRET"; exit 4', 'Enter');
		const status = await until(() => term.exitStatus(), 'the shell to exit', 30_000, () => term.describe());
		const screen = term.screen();
		assert.equal(status, 4, screen);
		assert.match(screen, new RegExp(`^evidence of ${runId}$`, 'm'));
		assert.match(screen, new RegExp(`^secret=${secret}$`, 'm'));
	});

	it('reruns a file of the last run on a terminal with its output live, and exits as it did', async () => {
		const term = terminal(dir, `DOCKER_HOST=${engine().host} node ${cliPath} repro fail.sh`);
		const status = await until(() => term.exitStatus(), 'the repro to exit', 60_000, () => term.describe());
		assert.equal(status, 3, term.screen());
		assert.match(term.screen(), /^failing\r?$/m);
		assert.doesNotMatch(term.screen(), /baleen-resources/, 'the file\'s own command, not measured');
	});

	it('opens a shell in a fresh container of the file with --shell', async () => {
		const term = terminal(dir, `DOCKER_HOST=${engine().host} node ${cliPath} repro fail.sh --shell`);
		await until(() => /\/suite #\s*$/m.test(term.visible()), 'the repro\'s shell', 60_000, () => term.describe());
		term.keys('echo "file=$BALEEN_FILE"; ls /tmp/evidence; exit 5', 'Enter');
		const status = await until(() => term.exitStatus(), 'the shell to exit', 30_000, () => term.describe());
		const screen = term.screen();
		assert.equal(status, 5, screen);
		assert.match(screen, /^file=fail\.sh$/m);
		assert.match(screen, /No such file/, 'a fresh container, not the kept one');
	});

	it('refuses a file the last run did not have, naming those it had', async () => {
		const result = await baleen(['repro', 'fial.sh'], {cwd: dir, env: env()});
		assert.equal(result.code, 2);
		assert.equal(result.stderr, `baleen: the last run (${runId}) did not run fial.sh; did you mean fail.sh? It ran fail.sh, pass.sh\n`);
	});

	it('baleen clean removes the kept image, and the env file its command named', async () => {
		assert.ok(image, 'the first run kept an image');
		const result = await baleen(['clean'], {cwd: dir, env: env()});
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`^removed image ${image.replace(/^sha256:/, '').slice(0, 12)} <none> \\(run ${runId}, fail\\.sh\\): kept by --keep-failed at `, 'm'));
		assert.deepEqual(keptBy(runId), []);
		assert.match(result.stdout, /^removed the env files of the kept images in \S+\/\.baleen\/kept$/m);
		assert.ok(!existsSync(path.join(dir, '.baleen', 'kept')), 'no env file is left');
	});

	it('keeps nothing of a run whose files pass', async () => {
		const passing = folder({'pass.sh': 'echo ok\n'});
		cleanups.push(() => {
			removeDir(passing);
		});
		const result = await baleen(shellArgs(passing, '--keep-failed'), {cwd: passing, env: env()});
		assert.equal(result.code, 0, result.stderr);
		assert.equal(byFile(result.events).get('pass.sh')?.kept, undefined);
		assert.deepEqual(keptBy(runStart(result.events).runId), []);
		assert.deepEqual(engine().docker('images', '-q', '--filter', 'label=baleen.kept').split('\n').filter(Boolean), []);
	});
});
