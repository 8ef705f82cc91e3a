import assert from 'node:assert/strict';
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {ReplaySubject, lastValueFrom, tap, toArray} from 'rxjs';
import type {JobEvent, JobSpec} from '../../source/backends/backend.js';
import {runContainer} from '../../source/backends/docker/container.js';
import type {ContainerSpec} from '../../source/backends/docker/engine.js';
import {refusal} from '../../source/backends/registry.js';
import {keptForMs, leftoverReason, type Labelled, type Now} from '../../source/cleanup/leftovers.js';
import {cleanKeptEnv} from '../../source/commands/clean.js';
import {historyFiles, keptFolder} from '../../source/plan/history.js';
import {helpText, reproHelp} from '../../source/options/help.js';
import {resolveRunOptions} from '../../source/options/resolve.js';
import {shellWord as shellQuote} from '../../source/shell-word.js';
import {dockerRunArgs, engineOptions, shellCommand, writeEnvFile} from '../../source/run/docker-run.js';
import {readSpecs, runSpecs, specOf, writeSpecs} from '../../source/run/specs.js';
import {failureDetails} from '../../source/words/lines.js';
import {FakeEngine} from '../helpers/fake-engine.js';
import {folder} from '../helpers/folder.js';
import {refusal as refused} from '../helpers/refusal.js';

const spec: JobSpec = {
	image: 'my-tests:latest',
	cmd: ['/bin/sh', '-c', 'sh "$1"', 'sh', 'it\'s a.sh'],
	env: ['TOKEN=hunter2', 'GREETING=hello world', 'BALEEN_FILE=it\'s a.sh'],
	workdir: '/suite dir',
	binds: ['/home/me/my suite:/suite dir:ro'],
	labels: {'baleen.run': 'r1', 'baleen.file': 'it\'s a.sh'},
	network: 'tests',
	limits: {memoryBytes: 268_435_456, cpus: 1.5, pidsLimit: 64},
};

const mode = (file: string) => statSync(file).mode & 0o777;

describe('the command that opens a shell in a kept image', () => {
	test('quotes what a shell would misread, and leaves plain words bare', () => {
		assert.equal(shellQuote('/suite'), '/suite');
		assert.equal(shellQuote('a b'), '\'a b\'');
		assert.equal(shellQuote('it\'s'), '\'it\'\\\'\'s\'');
		assert.equal(shellQuote('$HOME'), '\'$HOME\'');
		assert.equal(shellQuote(''), '\'\'');
	});

	test('makes the container as the file\'s was, a shell for its command, and names the env file, never a value', () => {
		const command = shellCommand(spec, 'sha256:abc', '/p/.baleen/kept/r1/a.env');
		assert.equal(command, 'docker run --rm -it --env-file /p/.baleen/kept/r1/a.env -w \'/suite dir\' -v \'/home/me/my suite:/suite dir:ro\' --network tests'
			+ ' --memory 268435456 --memory-swap 268435456 --cpus 1.5 --pids-limit 64'
			// The kept image's inherited labels of the run, blanked: no reaper, clean or sweep takes the shell for a leftover.
			+ ' --label baleen.run= --label baleen.owner= --label baleen.deadline= --entrypoint /bin/sh sha256:abc -i');
		assert.doesNotMatch(command, /hunter2|hello world/);
	});

	test('names the engine the file ran on when the run named one: a host by -H, a context by --context', () => {
		assert.match(shellCommand(spec, 'sha256:abc', '/e', 'ssh://me@build-2'), /^docker -H ssh:\/\/me@build-2 run --rm -it /);
		assert.match(shellCommand(spec, 'sha256:abc', '/e', 'ci-box'), /^docker --context ci-box run /);
		assert.match(shellCommand(spec, 'sha256:abc', '/e'), /^docker run /);
		assert.deepEqual(engineOptions('tcp://10.0.0.2:2376'), ['-H', 'tcp://10.0.0.2:2376']);
	});

	test('for repro: the file\'s own command after the image, on a terminal only when there is one, labelled', () => {
		const args = dockerRunArgs(spec, {image: 'sha256:abc', tty: false, labels: {'baleen.run': 'r1'}});
		assert.deepEqual(args.slice(0, 3), ['run', '--rm', '-i']);
		assert.deepEqual(args.slice(-6), ['--label', 'baleen.run=r1', 'sha256:abc', ...spec.cmd].slice(-6));
		assert.ok(!args.includes('--entrypoint'));
		assert.deepEqual(dockerRunArgs({...spec, workdir: undefined, binds: [], network: undefined, limits: undefined}, {image: 'i'}), ['run', '--rm', '-it', 'i', ...spec.cmd]);
	});

	test('writes the env to a file only its owner reads, one entry a line', () => {
		const file = path.join(folder(), 'kept', 'r1', 'a.env');
		writeEnvFile(file, spec.env);
		assert.equal(readFileSync(file, 'utf8'), 'TOKEN=hunter2\nGREETING=hello world\nBALEEN_FILE=it\'s a.sh\n');
		assert.equal(mode(file), 0o600);
		assert.equal(mode(path.dirname(file)), 0o700);
		// One that was there, readable by all, is not so any more.
		const old = path.join(folder(), 'old.env');
		writeFileSync(old, 'X=1\n', {mode: 0o644});
		writeEnvFile(old, ['Y=2']);
		assert.equal(mode(old), 0o600);
	});

	test('is the last line of a failed file\'s details', () => {
		const lines = failureDetails({
			file: 'a.sh', status: 'failed', exitCode: 3, durationMs: 10, stdout: '', stderr: 'boom\n', stdoutBytes: 0, stderrBytes: 5,
			kept: {image: 'sha256:abc', command: 'docker run --rm -it sha256:abc', envFile: '/e'},
		});
		assert.equal(lines.at(-1), '  kept: docker run --rm -it sha256:abc');
	});
});

describe('the last run\'s specs', () => {
	test('hold each file\'s spec, the image by the id the backend told, in a file only its owner reads', () => {
		const file = path.join(folder(), '.baleen', 'last-run-specs.json');
		const specs = runSpecs('r1', ['a.sh', 'b.sh'], name => ({...spec, labels: {'baleen.file': name}}), {imageId: 'sha256:abc', engines: ['ssh://me@build-2', 'ci-box']});
		writeSpecs(file, specs);
		assert.equal(mode(file), 0o600);
		const read = readSpecs(file);
		assert.equal(specOf(read, 'b.sh').image, 'sha256:abc');
		assert.deepEqual(specOf(read, 'b.sh').env, spec.env);
		assert.deepEqual(read.engines, ['ssh://me@build-2', 'ci-box'], 'the engines the run named, the first of which repro runs on');
		assert.equal(runSpecs('r1', ['a.sh'], () => spec).engines, undefined, 'none when the run named none');
		assert.equal(runSpecs('r1', ['a.sh'], () => spec).files['a.sh']!.image, 'my-tests:latest', 'by name when the backend told no id');
	});

	test('a file the last run did not have, or no last run: a usage error naming the files nearby', () => {
		const specs = runSpecs('r1', ['fail.sh', 'pass.sh'], () => spec);
		assert.equal(refused(() => specOf(specs, 'fial.sh')), 'the last run (r1) did not run fial.sh; did you mean fail.sh? It ran fail.sh, pass.sh');
		const many = runSpecs('r2', Array.from({length: 7}, (_, i) => `t${i}.sh`), () => spec);
		assert.equal(refused(() => specOf(many, 'other.sh')), 'the last run (r2) did not run other.sh. It ran t0.sh, t1.sh, t2.sh, t3.sh, t4.sh, and 2 more');
		const missing = path.join(folder(), 'none.json');
		assert.equal(refused(() => readSpecs(missing)), `no run to repro: ${missing} is not there yet (a run records its files there)`);
	});
});

describe('--keep-failed', () => {
	const resolved = (extra: Record<string, unknown>) => resolveRunOptions({patterns: ['*.sh'], image: 'i', command: 'sh {file}', cwd: folder({'a.sh': ''}), ...extra});

	test('is in --help, and so is baleen repro, which has a help of its own', () => {
		assert.match(helpText, /^ {2}--keep-failed {8}Keep the container of a file that fails or times out as an image/m);
		assert.match(helpText, /^ {2}baleen repro FILE \[--shell\]\n {23}Run FILE again as the last run did/m);
		assert.match(reproHelp, /\$ baleen repro FILE \[--shell\]\n\n {4}Run FILE again/);
	});

	test('is refused on a backend that cannot commit, naming both', () => {
		const message = '--keep-failed: the swarm backend cannot keep a failed file\'s container as an image; leave --keep-failed out, or run with --backend docker';
		assert.equal(refusal(resolved({swarm: true, keepFailed: true})), message);
		assert.equal(refusal(resolved({backend: 'swarm', keepFailed: true})), message);
		assert.equal(refusal(resolved({keepFailed: true})), undefined);
		assert.throws(() => resolved({keepFailed: 'yes'}), /keep-failed/);
	});

	const containerSpec: ContainerSpec = {image: 'shell', cmd: ['sh', 'a.sh'], env: [], binds: [], labels: {'baleen.file': 'a.sh'}};
	const ran = async (engine: FakeEngine, keep = true): Promise<JobEvent[]> =>
		lastValueFrom(runContainer({engine, spec: containerSpec, stop$: new ReplaySubject<unknown>(1), keep}).pipe(toArray()));
	/** A container that runs until it is told to stop, told so as it runs, and why. */
	const stopped = async (engine: FakeEngine, reason: string): Promise<JobEvent[]> => {
		const stop$ = new ReplaySubject<unknown>(1);
		return lastValueFrom(runContainer({engine, spec: containerSpec, stop$, keep: true}).pipe(
			tap(event => {
				if (event.type === 'running') {
					stop$.next(reason);
				}
			}),
			toArray(),
		));
	};

	test('commits a container that failed, before it goes, and tells the image', async () => {
		const engine = new FakeEngine({'a.sh': {exitCode: 3}});
		const events = await ran(engine);
		assert.deepEqual(events.at(-1), {type: 'exited', exitCode: 3, kept: 'sha256:kept-c1'});
		assert.deepEqual(engine.calls, ['create a.sh', 'attach a.sh', 'start a.sh', 'commit a.sh', 'remove a.sh']);
	});

	test('makes no call more for a file that passes, nor for one cancelled, nor without it', async () => {
		const passed = new FakeEngine({'a.sh': {exitCode: 0}});
		assert.deepEqual((await ran(passed)).at(-1), {type: 'exited', exitCode: 0});
		assert.deepEqual(passed.calls, ['create a.sh', 'attach a.sh', 'start a.sh', 'remove a.sh']);

		const unasked = new FakeEngine({'a.sh': {exitCode: 3}});
		await ran(unasked, false);
		assert.deepEqual(unasked.committed, []);

		const cancelled = new FakeEngine({'a.sh': {runMs: Number.POSITIVE_INFINITY}});
		const events = await stopped(cancelled, 'cancelled');
		assert.equal(events.at(-1)?.type, 'exited');
		assert.deepEqual(cancelled.committed, []);
	});

	test('keeps one whose time was up', async () => {
		const engine = new FakeEngine({'a.sh': {runMs: Number.POSITIVE_INFINITY}});
		const events = await stopped(engine, 'timed-out');
		assert.equal((events.at(-1) as Extract<JobEvent, {type: 'exited'}>).kept, 'sha256:kept-c1');
		assert.deepEqual(engine.committed, ['c1']);
	});
});

describe('a kept image as a leftover', () => {
	const now: Now = {host: 'ci-7', isAlive: () => true, now: Date.parse('2026-11-30T12:00:00Z')};
	const kept = (at: string): Labelled => ({kind: 'image', id: 'sha256:k', name: '<none>', labels: {'baleen.run': 'r1', 'baleen.kept': at, 'baleen.context': '/x'}});

	test('baleen clean removes it at once; a run\'s start once it is a day old', () => {
		const fresh = kept('2026-11-30T11:00:00.000Z');
		const old = kept('2026-11-29T11:59:00.000Z');
		assert.equal(leftoverReason(fresh, now), 'kept by --keep-failed at 2026-11-30T11:00:00.000Z');
		assert.equal(leftoverReason(fresh, now, keptForMs), undefined);
		assert.equal(leftoverReason(old, now, keptForMs), 'kept by --keep-failed at 2026-11-29T11:59:00.000Z');
		assert.equal(leftoverReason({...fresh, dangling: true}, now, keptForMs), undefined, 'untagged, as every kept image is, it is still kept');
	});
});

describe('baleen clean', () => {
	test('removes the env files of the kept images with them, and only says so when there were some', () => {
		const history = historyFiles(folder(), 'default');
		const envFile = path.join(keptFolder(history, 'r1'), 'a.sh.env');
		writeEnvFile(envFile, spec.env);
		const kept = path.dirname(path.dirname(envFile));
		assert.deepEqual(cleanKeptEnv(history, {dryRun: true}), [`would remove the env files of the kept images in ${kept}`]);
		assert.ok(existsSync(envFile), 'a dry run removes nothing');
		assert.deepEqual(cleanKeptEnv(history), [`removed the env files of the kept images in ${kept}`]);
		assert.ok(!existsSync(kept));
		assert.deepEqual(cleanKeptEnv(history), []);
	});
});
