import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {hostname} from 'node:os';
import {test} from 'node:test';
import {baleen, shellArgs, shellImage} from '../helpers/cli.js';
import {privateEngine} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';

// An engine of these tests' own: what they leave on purpose as an earlier run's is then no other run's to sweep, and
// `baleen clean` here sweeps nothing of another run of the suite on this machine.
const engine = privateEngine('clean', 53);
const env = () => ({DOCKER_HOST: engine().host});
const removeRun = (runId: string) => {
	const ids = engine().containersOf(runId);
	if (ids.length > 0) {
		engine().docker('rm', '-f', ...ids);
	}
};

/** A pid no process holds: that of a process that has just ended. */
function deadPid(): number {
	return spawnSync('true').pid!;
}

/** A stopped container labelled as a run of `owner` would label it; returns its id. */
function leftover(runId: string, owner: string, deadline = new Date(Date.now() + 3_600_000).toISOString()): string {
	return execFileSync('docker', [
		'-H', engine().host, 'create', '--label', `baleen.run=${runId}`, '--label', `baleen.owner=${owner}`, '--label', `baleen.deadline=${deadline}`,
		'--label', 'baleen.file=old.sh', shellImage, 'true',
	], {encoding: 'utf8'}).trim();
}

const exists = (id: string) => spawnSync('docker', ['-H', engine().host, 'container', 'inspect', id], {stdio: 'ignore'}).status === 0;
const runIds = () => ({gone: `clean-gone-${process.pid}`, live: `clean-live-${process.pid}`, late: `clean-late-${process.pid}`});

test('baleen clean lists what earlier runs left (--dry-run) and removes it, and leaves a live run alone', async () => {
	const ids = runIds();
	const gone = leftover(ids.gone, `${hostname()}:${deadPid()}`);
	const live = leftover(ids.live, `${hostname()}:${process.pid}`);
	const late = leftover(ids.late, 'another-host:1', new Date(Date.now() - 1000).toISOString());
	try {
		const dry = await baleen(['clean', '--dry-run'], {env: env()});
		assert.equal(dry.code, 0);
		assert.match(dry.stdout, new RegExp(`^would remove container ${gone.slice(0, 12)} \\S+ \\(run ${ids.gone}, old\\.sh\\): its baleen \\(pid \\d+\\) is gone$`, 'm'));
		assert.match(dry.stdout, new RegExp(`^would remove container ${late.slice(0, 12)} .*: past its deadline`, 'm'));
		assert.doesNotMatch(dry.stdout, new RegExp(live.slice(0, 12)));
		assert.ok(exists(gone) && exists(late), 'a dry run removes nothing');

		const real = await baleen(['clean'], {env: env()});
		assert.equal(real.code, 0);
		assert.match(real.stdout, new RegExp(`^removed container ${gone.slice(0, 12)} `, 'm'));
		assert.match(real.stdout, new RegExp(`^removed 2 containers on ${engine().host}$`, 'm'));
		assert.ok(!exists(gone) && !exists(late));
		assert.ok(exists(live), 'a run whose baleen lives is not a leftover');
		assert.match((await baleen(['clean', '--dry-run'], {env: env()})).stdout, /^nothing left by earlier runs on /m);
	} finally {
		removeRun(ids.gone);
		removeRun(ids.live);
		removeRun(ids.late);
	}
});

test('a run starts by removing what earlier runs left, and says so in one line', async () => {
	const {gone: runId} = runIds();
	const old = leftover(runId, `${hostname()}:${deadPid()}`);
	try {
		const directory = folder({'ok.sh': 'true\n'});
		const {code, stderr} = await baleen(shellArgs(directory), {cwd: directory, env: env()});
		assert.equal(code, 0);
		assert.match(stderr, /^baleen: removed 1 container left by earlier runs \(baleen clean --dry-run lists such leftovers\)$/m);
		assert.ok(!exists(old));
	} finally {
		removeRun(runId);
	}
});
