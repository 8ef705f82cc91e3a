import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {readdirSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {lastValueFrom} from 'rxjs';
import {backends} from '../../source/backends/registry.js';
import {clean, sweepBeforeRun} from '../../source/commands/clean.js';
import {reap} from '../../source/reaper/reap.js';
import {shellImage} from '../helpers/cli.js';
import {privateEngine} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';
import {hostBackend} from '../helpers/host-backend.js';

// An engine of these tests' own: what they leave there on purpose is no other run's to sweep.
const engine = privateEngine('backends', 57);
const state = path.join(folder(), 'kept');
/** A backend of the tests' own, registered beside baleen's with this one line: no source file knows it. */
const registry = {...backends, host: hostBackend(state, folder())};

const deadOwner = () => `${hostname()}:${spawnSync('true').pid}`;
/** What a host run of `owner` keeps of a job while it runs: a leftover once its baleen is gone. */
function kept(runId: string, owner: string): string {
	const id = `${runId}-old.sh`;
	writeFileSync(path.join(state, id), JSON.stringify({name: 'old.sh', labels: {'baleen.run': runId, 'baleen.owner': owner, 'baleen.file': 'old.sh'}}));
	return id;
}

/** A stopped container labelled as a run of `owner` would label it, on the tests' engine. */
function container(runId: string, owner: string): string {
	return execFileSync('docker', ['-H', engine().host, 'create', '--label', `baleen.run=${runId}`, '--label', `baleen.owner=${owner}`, shellImage, 'true'], {encoding: 'utf8'}).trim();
}

const containersLeft = (runId: string) => engine().containersOf(runId);
const where = () => ({engines: [{host: engine().host}], environment: process.env});

const pidOf = (owner: string) => owner.slice(owner.lastIndexOf(':') + 1);

test('baleen clean finds what a backend of the tests\' own left, beside what the engine holds, and removes both', async () => {
	const owner = deadOwner();
	const host = kept('host-gone', owner);
	const docker = container('docker-gone', owner);
	const dry = await clean(where(), {dryRun: true, backends: registry});
	assert.equal(dry.length, 4, dry.join('\n'));
	assert.match(dry[0]!, new RegExp(`^would remove container ${docker.slice(0, 12)} \\S+ \\(run docker-gone\\): its baleen \\(pid ${pidOf(owner)}\\) is gone$`));
	assert.deepEqual(dry.slice(1), [
		`would remove 1 container on ${engine().host}; run baleen clean to remove them`,
		`would remove process ${host.slice(0, 12)} old.sh (run host-gone, old.sh): its baleen (pid ${pidOf(owner)}) is gone`,
		`would remove 1 process on host ${state}; run baleen clean to remove them`,
	]);
	assert.deepEqual(readdirSync(state), [host], 'a dry run removes nothing');

	const real = await clean(where(), {backends: registry});
	assert.deepEqual(real.filter(line => !/^removed (container|process) /.test(line)), [`removed 1 container on ${engine().host}`, `removed 1 process on host ${state}`]);
	assert.deepEqual(readdirSync(state), []);
	assert.deepEqual(containersLeft('docker-gone'), []);
});

test('the sweep before a run finds it too, and says so for each engine', async () => {
	kept('host-swept', deadOwner());
	container('docker-swept', deadOwner());
	const live = kept('host-live', `${hostname()}:${process.pid}`);
	assert.deepEqual(await sweepBeforeRun(where(), registry), [
		`${engine().host}: removed 1 container left by earlier runs (baleen clean --dry-run lists such leftovers)`,
		`host ${state}: removed 1 process left by earlier runs (baleen clean --dry-run lists such leftovers)`,
	]);
	assert.deepEqual(readdirSync(state), [live], 'a run whose baleen lives is not a leftover');
	assert.deepEqual(containersLeft('docker-swept'), []);
	assert.deepEqual(await sweepBeforeRun(where(), registry), []);
});

test('the reaper of a run of that backend removes what the run left, and only that', async () => {
	const ours = `${hostname()}:${process.pid}`;
	const reaped = kept('host-reaped', ours);
	const other = kept('host-other', ours);
	assert.equal(await lastValueFrom(reap({runId: 'host-reaped', backend: 'host'}, {backends: registry})), 1);
	assert.ok(!readdirSync(state).includes(reaped));
	assert.ok(readdirSync(state).includes(other), 'another run\'s is not the reaper\'s');
});
