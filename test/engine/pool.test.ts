import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {hostname} from 'node:os';
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import type {PartEnd, TestStart} from '../../source/events.js';
import {baleen, cliPath, runStart, shellArgs, shellImage, start, testEnds} from '../helpers/cli.js';
import {startDockerd, type Dockerd} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';
import {readExpected} from '../helpers/framework-suites.js';
import {runPreset} from '../helpers/preset.js';
import {mochaTimed} from '../helpers/split-timings.js';
import {until} from '../helpers/poll.js';
import {freePort, startSshd} from '../../bench/lib/sshd.js';
import {Terminal} from './terminal.js';

/** Two engines of this test's own (the names and subnets given to the pool's tests), the test image in each. */
let p1: Dockerd;
let p2: Dockerd;

before(async () => {
	[p1, p2] = await Promise.all([startDockerd('p1', 21), startDockerd('p2', 22)]);
	p1.load(shellImage);
	p2.load(shellImage);
});

after(async () => {
	await Promise.all([p1?.remove(), p2?.remove()]);
});

/** Containers of the run on a private engine; there should be none once the run is over. */
const leftOn = (engine: Dockerd, runId: string) => engine.containersOf(runId);

const suite = (count: number, script: string) => folder(Object.fromEntries(Array.from({length: count}, (_, index) => [`t${String(index).padStart(2, '0')}.sh`, script])));

const starts = (events: Parameters<typeof testEnds>[0]) => events.filter((event): event is TestStart => event.type === 'test-start');

/**
Ends the reapers of runs that never started (exit 2) on an engine this test made and then took away: a
reaper keeps at an engine it cannot reach for minutes, in case it comes back.
*/
function endReapersNaming(text: string): void {
	for (const line of execFileSync('ps', ['-eo', 'pid=,args='], {encoding: 'utf8'}).split('\n')) {
		if (line.includes('reaper/watch.js') && line.includes(text)) {
			process.kill(Number(line.trim().split(' ')[0]), 'SIGTERM');
		}
	}
}

/** Whether the reaper of a run is still at work. */
const reaperOf = (runId: string) => execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).split('\n').some(line => line.includes('reaper/watch.js') && line.includes(runId));

test('one run over two engines with different slots uses both, and names each file\'s engine', async () => {
	const directory = suite(9, 'sleep 0.3; echo "$BALEEN_FILE"\n');
	writeFileSync(path.join(directory, 'zz-fails.sh'), 'exit 3\n');
	const {code, events, stderr} = await baleen(shellArgs(directory, '--engine', `${p1.host}=1`, '--engine', `${p2.host}=2`), {cwd: directory});
	assert.equal(code, 1, stderr);
	const failed = testEnds(events).find(end => end.file === 'zz-fails.sh')!;
	assert.equal(failed.status, 'failed');
	assert.match(stderr, new RegExp(`✗ failed +zz-fails\\.sh \\(exit 3, [\\d.]+m?s, on ${failed.engine}\\)\n`), 'the log names the engine of a failure');
	const start = runStart(events);
	assert.equal(start.concurrency, 3);
	assert.deepEqual(start.engines, [{name: p1.host, slots: 1}, {name: p2.host, slots: 2}]);
	assert.equal(start.engine, `${p1.host}, ${p2.host}`);
	const ends = testEnds(events).filter(end => end !== failed);
	assert.equal(ends.length, 9);
	assert.ok(ends.every(end => end.status === 'passed' && end.stdout === `${end.file}\n`));
	const perEngine = (name: string) => ends.filter(end => end.engine === name).length;
	assert.ok(perEngine(p1.host) > 0 && perEngine(p2.host) > 0, `both engines ran files: ${perEngine(p1.host)} and ${perEngine(p2.host)}`);
	assert.equal(perEngine(p1.host) + perEngine(p2.host), 9);
	assert.ok(starts(events).every(event => event.engine === p1.host || event.engine === p2.host));
	assert.deepEqual([...leftOn(p1, start.runId), ...leftOn(p2, start.runId)], []);
});

test('--isolate slot over two engines: each engine\'s slots keep a container of their own there, every file passes once, nothing left on either', async () => {
	const directory = suite(12, 'sleep 0.3; echo "$BALEEN_FILE"\n');
	const {code, events, stderr} = await baleen(shellArgs(directory, '--engine', `${p1.host}=1`, '--engine', `${p2.host}=2`, '--isolate', 'slot'), {cwd: directory});
	assert.equal(code, 0, stderr);
	const start = runStart(events);
	assert.equal(start.concurrency, 3);
	const ends = testEnds(events);
	assert.equal(ends.length, 12);
	assert.ok(ends.every(end => end.status === 'passed' && end.stdout === `${end.file}\n`));
	// A slot's files share its container: as many containers on an engine as it has slots, each on that engine alone.
	const containers = (name: string) => new Set(starts(events).filter(event => event.engine === name).map(event => event.containerId));
	assert.ok(containers(p1.host).size === 1 && containers(p2.host).size === 2, `containers: ${containers(p1.host).size} on p1, ${containers(p2.host).size} on p2`);
	assert.ok([...containers(p1.host)].every(id => !containers(p2.host).has(id)));
	assert.deepEqual([...leftOn(p1, start.runId), ...leftOn(p2, start.runId)], []);
});

test('a file split by its tests over two engines: its parts on both, each test once, one test-end, nothing left on either', async () => {
	p1.load('baleen-test-node');
	p2.load('baleen-test-node');
	const {suite, timings} = await mochaTimed(() => 1000);
	const run = await runPreset('mocha', {...suite, extra: ['--timings', timings, '--split', '1', '--engine', `${p1.host}=2`, '--engine', `${p2.host}=2`]});
	const parts = run.events.filter((event): event is PartEnd => event.type === 'part-end');
	const engines = new Set(parts.map(part => part.engine));
	assert.deepEqual(engines, new Set([p1.host, p2.host]), 'the parts ran on both engines');
	const ends = testEnds(run.events);
	assert.deepEqual(ends.map(end => [end.file, end.split?.parts, end.split?.whole]).sort(), [['test/arithmetic.spec.js', 3, undefined], ['test/words.spec.js', 2, undefined]]);
	const told = ends.flatMap(end => (end.testcases ?? []).map(test => `${end.file} › ${test.name}`)).sort();
	assert.deepEqual(told, Object.entries(readExpected('mocha').files).flatMap(([file, {tests}]) => tests.map(test => `${file} › ${test.name}`)).sort());
	assert.equal(run.code, 1, 'the words file fails, as it does whole');
	const {runId} = runStart(run.events);
	assert.deepEqual([...leftOn(p1, runId), ...leftOn(p2, runId)], []);
});

test('the live view shows a line per engine: files running of its slots, files done', async () => {
	const directory = suite(4, 'while [ ! -e /suite/go ]; do sleep 0.1; done\n');
	const term = new Terminal(directory, `node ${cliPath} '*.sh' -i ${shellImage} -m ${directory}:/suite -w /suite -c 'sh {file}' --engine ${p1.host}=1 --engine ${p2.host}=2`);
	try {
		const engineLines = (screen: string) => screen.split('\n').filter(line => /^ {2}unix:/.test(line)).map(line => line.trim().replaceAll(/ +/g, ' '));
		await until(() => engineLines(term.visible()).join('\n') === `${p1.host} 1/1 busy 0 done\n${p2.host} 2/2 busy 0 done`, 'both engines busy in the view', 60_000, () => term.describe());
		writeFileSync(path.join(directory, 'go'), '');
		assert.equal(await until(() => term.exitStatus(), 'the CLI to exit', 60_000, () => term.describe()), 0, term.screen());
	} finally {
		term.close();
	}
});

test('the image is checked on every engine: missing on one is exit 2 naming it', async () => {
	p2.docker('tag', shellImage, 'baleen-pool-only-p2');
	const directory = suite(1, 'true\n');
	const {code, stderr, events} = await baleen(['*.sh', '-i', 'baleen-pool-only-p2', '-c', 'sh {file}', '--json', '--engine', p1.host, '--engine', p2.host], {cwd: directory});
	assert.equal(code, 2);
	assert.equal(stderr, `baleen: image "baleen-pool-only-p2" is not on the Docker engine at ${p1.host}; build or pull it there first\n`);
	assert.deepEqual(events, []);
});

test('what earlier runs left on each engine: baleen clean --engine lists and removes it, and a run over the engines sweeps it first', async () => {
	const dead = spawnSync('true').pid!;
	const leave = (engine: Dockerd) => engine.docker('create', '--label', `baleen.run=pool-old-${dead}`, '--label', `baleen.owner=${hostname()}:${dead}`, '--label', 'baleen.file=old.sh', shellImage, 'true').trim();
	const old = [leave(p1), leave(p2)];
	const dry = await baleen(['clean', '--dry-run', '--engine', p1.host, '--engine', p2.host]);
	assert.equal(dry.code, 0, dry.stderr);
	for (const [index, engine] of [p1, p2].entries()) {
		assert.match(dry.stdout, new RegExp(`^would remove container ${old[index]!.slice(0, 12)} .*: its baleen \\(pid ${dead}\\) is gone$`, 'm'));
		assert.match(dry.stdout, new RegExp(`^would remove 1 container on ${engine.host}; run baleen clean to remove them$`, 'm'));
	}

	const directory = suite(1, 'true\n');
	const {code, stderr} = await baleen(shellArgs(directory, '--engine', p1.host, '--engine', p2.host), {cwd: directory});
	assert.equal(code, 0, stderr);
	for (const engine of [p1, p2]) {
		assert.match(stderr, new RegExp(`^baleen: ${engine.host}: removed 1 container left by earlier runs`, 'm'));
		assert.deepEqual(leftOn(engine, `pool-old-${dead}`), []);
	}
});

test('--build builds on every engine, and --find-in-image asks one', async () => {
	const context = folder({Dockerfile: `FROM ${shellImage}\nRUN mkdir /suite && echo 'echo built' > /suite/mark.sh\n`});
	const {code, events, stderr} = await baleen([
		'*.sh', '-i', 'baleen-pool-built', '--build', context, '--find-in-image', '-w', '/suite', '-c', 'sh {file}', '--json', '--engine', `${p1.host}=1`, '--engine', `${p2.host}=1`,
	], {cwd: context});
	assert.equal(code, 0, stderr);
	assert.match(stderr, new RegExp(`${p1.host}: Successfully tagged baleen-pool-built`));
	assert.match(stderr, new RegExp(`${p2.host}: Successfully tagged baleen-pool-built`));
	assert.deepEqual(testEnds(events).map(end => end.file), ['mark.sh']);
	for (const engine of [p1, p2]) {
		assert.match(engine.docker('images', '-q', 'baleen-pool-built'), /\w/, `built on ${engine.name}`);
	}
});

test('a Docker context names an engine: by --engine, by DOCKER_CONTEXT, and as the current context', async () => {
	const config = folder();
	const digest = createHash('sha256').update('pool-p1').digest('hex');
	mkdirSync(path.join(config, 'contexts/meta', digest), {recursive: true});
	writeFileSync(path.join(config, 'contexts/meta', digest, 'meta.json'), JSON.stringify({
		Name: 'pool-p1', Metadata: {}, Endpoints: {docker: {Host: p1.host, SkipTLSVerify: false}},
	}));
	// The docker CLI agrees that this is a context, and where it points.
	assert.equal(execFileSync('docker', ['--context', 'pool-p1', 'info', '--format', '{{.DockerRootDir}}'], {env: {...process.env, DOCKER_CONFIG: config}, encoding: 'utf8'}).trim(), `${p1.root}/data`);

	const directory = suite(2, 'true\n');
	const env = {DOCKER_CONFIG: config, DOCKER_HOST: ''};
	for (const [how, args, extraEnv] of [
		['--engine', ['--engine', 'pool-p1'], {}],
		['DOCKER_CONTEXT', [], {DOCKER_CONTEXT: 'pool-p1'}],
	] as const) {
		// eslint-disable-next-line no-await-in-loop
		const {code, events, stderr} = await baleen(shellArgs(directory, ...args), {cwd: directory, env: {...env, ...extraEnv}});
		assert.equal(code, 0, `${how}: ${stderr}`);
		assert.equal(runStart(events).engine, 'pool-p1', how);
		assert.ok(testEnds(events).every(end => end.engine === 'pool-p1'), how);
	}

	writeFileSync(path.join(config, 'config.json'), JSON.stringify({currentContext: 'pool-p1'}));
	const current = await baleen(shellArgs(directory), {cwd: directory, env});
	assert.equal(current.code, 0, current.stderr);
	assert.equal(runStart(current.events).engine, 'pool-p1');

	const missing = await baleen(shellArgs(directory, '--engine', 'pool-nowhere'), {cwd: directory, env});
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /^baleen: there is no Docker context "pool-nowhere" in .*contexts \(docker context ls lists them\)\n$/);
	// Its reaper knows that an engine that cannot be named will not come back.
	await until(() => !execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).includes('"pool-nowhere"'), 'the reaper of a run on no engine to leave', 10_000);
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker` and `dockerd --tlsverify` take them. */
function certificates(): {server: string; client: string} {
	const server = folder();
	const client = folder();
	const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: server, stdio: 'ignore'});
	const key = (file: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file);
	key('ca-key.pem');
	openssl('req', '-x509', '-new', '-key', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=baleen-test-ca');
	for (const [name, subject, extensions] of [
		['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
		['client', '/CN=baleen-test-client', 'extendedKeyUsage=clientAuth\n'],
	] as const) {
		key(`${name}-key.pem`);
		openssl('req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject);
		writeFileSync(path.join(server, `${name}.ext`), extensions);
		openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}-cert.pem`, '-days', '1', '-extfile', `${name}.ext`);
	}

	for (const [from, to] of [['ca.pem', 'ca.pem'], ['client-cert.pem', 'cert.pem'], ['client-key.pem', 'key.pem']] as const) {
		writeFileSync(path.join(client, to), readFileSync(path.join(server, from)));
	}

	return {server, client};
}

test('TLS: a tcp:// engine with --tlsverify, reached with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or through a context holding the certificates', async () => {
	const {server, client} = certificates();
	const port = await freePort();
	const tcp = `tcp://127.0.0.1:${port}`;
	const secure = await startDockerd('ptls', 24, [
		'--tlsverify', '--tlscacert', path.join(server, 'ca.pem'), '--tlscert', path.join(server, 'server-cert.pem'), '--tlskey', path.join(server, 'server-key.pem'), '-H', tcp,
	]);
	try {
		secure.load(shellImage);
		const directory = suite(2, 'echo "$BALEEN_FILE"\n');
		const viaEnvironment = await baleen(shellArgs(directory, '--engine', tcp), {cwd: directory, env: {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: client}});
		assert.equal(viaEnvironment.code, 0, viaEnvironment.stderr);
		assert.deepEqual(testEnds(viaEnvironment.events).map(end => [end.status, end.engine]), [['passed', tcp], ['passed', tcp]]);

		// Without the certificates the engine turns baleen away, and baleen says which engine did.
		const refused = await baleen(shellArgs(directory, '--engine', tcp), {cwd: directory, env: {DOCKER_TLS_VERIFY: ''}});
		assert.equal(refused.code, 2);
		assert.match(refused.stderr, new RegExp(`^baleen: cannot reach the Docker engine at ${tcp} `));
		endReapersNaming(tcp);

		const config = folder();
		const digest = createHash('sha256').update('pool-tls').digest('hex');
		mkdirSync(path.join(config, 'contexts/meta', digest), {recursive: true});
		writeFileSync(path.join(config, 'contexts/meta', digest, 'meta.json'), JSON.stringify({Name: 'pool-tls', Metadata: {}, Endpoints: {docker: {Host: tcp, SkipTLSVerify: false}}}));
		mkdirSync(path.join(config, 'contexts/tls', digest, 'docker'), {recursive: true});
		for (const file of ['ca.pem', 'cert.pem', 'key.pem']) {
			writeFileSync(path.join(config, 'contexts/tls', digest, 'docker', file), readFileSync(path.join(client, file)));
		}

		const viaContext = await baleen(shellArgs(directory, '--engine', 'pool-tls=1'), {cwd: directory, env: {DOCKER_CONFIG: config, DOCKER_TLS_VERIFY: ''}});
		assert.equal(viaContext.code, 0, viaContext.stderr);
		assert.deepEqual(runStart(viaContext.events).engines, [{name: 'pool-tls', slots: 1}]);
		assert.deepEqual(leftOn(secure, runStart(viaContext.events).runId), []);
		// The runs' reapers have one look at the engine before it goes, or they would keep at it for minutes.
		const runs = [viaEnvironment, viaContext].map(({events}) => runStart(events).runId);
		await until(() => !runs.some(runId => reaperOf(runId)), 'the reapers of the runs to leave', 20_000);
	} finally {
		await secure.remove();
	}
});

test('ssh://: an engine reached with the machine\'s ssh, which runs `docker system dial-stdio` on the host; an unknown host key is refused', async () => {
	// The session's docker CLI talks to this test's engine, not the machine's.
	const sshd = await startSshd({dockerHost: p1.host});
	try {
		const {env, host, port} = sshd;
		const directory = suite(4, 'echo "$BALEEN_FILE"\n');
		const unknown = await baleen(shellArgs(directory, '--engine', host), {cwd: directory, env});
		assert.equal(unknown.code, 2);
		assert.equal(unknown.stderr, `baleen: cannot reach the Docker engine at ${host} (ssh to 127.0.0.1:${port} failed: Host key verification failed.); start it, or set DOCKER_HOST to use another engine\n`);
		endReapersNaming(host);

		sshd.trust();
		const {code, events, stderr} = await baleen(shellArgs(directory, '--engine', `${host}=2`), {cwd: directory, env});
		assert.equal(code, 0, stderr);
		assert.deepEqual(testEnds(events).map(end => [end.status, end.engine]), Array.from({length: 4}, () => ['passed', host]));
		assert.deepEqual(leftOn(p1, runStart(events).runId), []);
		await until(() => !reaperOf(runStart(events).runId), 'the reaper of the run to leave while sshd is there', 20_000);
	} finally {
		await sshd.stop();
	}
});

test('kill -9 of baleen mid-run over two engines: the reaper removes what the run left on each', async () => {
	const directory = suite(4, 'sleep 60\n');
	const running = start(shellArgs(directory, '--engine', `${p1.host}=1`, '--engine', `${p2.host}=1`), {cwd: directory});
	const events = await running.until(events => starts(events).length === 2);
	const runId = runStart(events).runId;
	assert.ok(leftOn(p1, runId).length > 0 && leftOn(p2, runId).length > 0, 'a file runs on each engine');
	process.kill(running.child.pid!, 'SIGKILL');
	await running.done;
	await until(() => leftOn(p1, runId).length + leftOn(p2, runId).length === 0, `the containers of run ${runId} to go from both engines after kill -9`, 20_000);
});

test('an engine killed mid-run: its files run again on the engines there, every file passes once, and it rejoins once it is back, swept of what the run left', async () => {
	// Every file waits for the test's go, so that the run outlasts the engine's restart.
	const directory = suite(8, 'while [ ! -e /suite/go ]; do sleep 0.1; done; echo "$BALEEN_FILE"\n');
	const running = start(shellArgs(directory, '--engine', `${p1.host}=2`, '--engine', `${p2.host}=2`), {cwd: directory});
	const before = await running.until(events => starts(events).filter(event => event.engine === p2.host).length === 2 && starts(events).length === 4);
	const runId = runStart(before).runId;
	const onLost = starts(before).filter(event => event.engine === p2.host).map(event => event.file).toSorted();
	// Listened for before the kill: the lost attempts may be told before the kill has returned.
	const retried = running.until(events => events.filter(event => event.type === 'test-retry').length === 2);
	await p2.kill();
	await retried;
	const back = running.until(events => starts(events).slice(4).some(event => event.engine === p2.host));
	await p2.start();
	await back;
	writeFileSync(path.join(directory, 'go'), '');
	const {code, events, stderr} = await running.done;

	assert.equal(code, 0, stderr);
	const ends = testEnds(events);
	assert.deepEqual(ends.map(end => end.file).toSorted(), Array.from({length: 8}, (_, index) => `t0${index}.sh`), 'every file ends exactly once');
	assert.ok(ends.every(end => end.status === 'passed'), 'a file its engine lost under it passed on its next attempt');
	const retries = events.filter(event => event.type === 'test-retry');
	assert.deepEqual(retries.map(retry => retry.file).toSorted(), onLost);
	for (const retry of retries) {
		assert.equal(retry.lost, true);
		assert.equal(retry.engine, p2.host);
		assert.match(retry.error ?? '', new RegExp(`^lost the engine ${p2.host}: `));
	}

	for (const end of ends.filter(end => onLost.includes(end.file))) {
		assert.equal(end.attempts, 2, 'the attempt the engine lost is visible');
		assert.equal(end.earlier?.[0]?.lost, true);
	}

	assert.ok(starts(events).slice(4).some(event => event.engine === p2.host), 'the engine took files again once it was back');
	assert.deepEqual([...leftOn(p1, runId), ...leftOn(p2, runId)], [], 'nothing left, on the engine that was lost either');
});

test('an engine killed for good: its files pass on the other engine; what it left goes once it is back, by the run\'s reaper', async () => {
	const directory = suite(6, 'sleep 1; echo "$BALEEN_FILE"\n');
	const running = start(shellArgs(directory, '--engine', `${p1.host}=2`, '--engine', `${p2.host}=2`), {cwd: directory});
	const before = await running.until(events => starts(events).filter(event => event.engine === p2.host).length === 2);
	const runId = runStart(before).runId;
	const onLost = starts(before).filter(event => event.engine === p2.host).map(event => event.file);
	await p2.kill();
	const {code, events, stderr} = await running.done;

	assert.equal(code, 0, stderr);
	const ends = testEnds(events);
	assert.equal(ends.length, 6);
	assert.ok(ends.every(end => end.status === 'passed'));
	for (const end of ends.filter(end => onLost.includes(end.file))) {
		assert.equal(end.engine, p1.host, `${end.file} ran again on the engine still there`);
		assert.equal(end.attempts, 2);
	}

	assert.deepEqual(leftOn(p1, runId), []);
	// The run's reaper keeps at the engine it could not sweep, and sweeps it once it is back.
	assert.ok(reaperOf(runId), 'the reaper waits for the lost engine');
	await p2.start();
	await until(() => leftOn(p2, runId).length === 0 && !reaperOf(runId), 'the reaper to sweep the engine once it is back, and leave', 30_000);
});

test('every engine lost: after the bound (--engine-wait), the files left end as errors naming the engines, each once', async () => {
	const directory = suite(4, 'sleep 30\n');
	const running = start(shellArgs(directory, '--engine', `${p1.host}=2`, '--engine-wait', '2'), {cwd: directory});
	await running.until(events => starts(events).length === 2);
	await p1.kill();
	const {code, events, stderr} = await running.done;
	assert.equal(code, 1, stderr);
	const ends = testEnds(events);
	assert.deepEqual(ends.map(end => end.file).toSorted(), ['t00.sh', 't01.sh', 't02.sh', 't03.sh']);
	for (const end of ends) {
		assert.equal(end.status, 'error');
		assert.match(end.error ?? '', new RegExp(`^no engine left to run on: every engine was lost and none came back within 2 s \\(--engine-wait\\): ${p1.host} \\(`));
	}

	const runId = runStart(events).runId;
	await p1.start();
	await until(() => leftOn(p1, runId).length === 0 && !reaperOf(runId), 'the reaper to sweep the engine once it is back, and leave', 30_000);
});
