import assert from 'node:assert/strict';
import {readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {baleen, runGone, runStart, shellArgs, start, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {readJunit} from '../helpers/junit.js';
import {privateEngine} from '../helpers/dockerd.js';
import {until} from '../helpers/poll.js';
import {freePort, selfSignedCertificate, startRedis, type RedisServer} from '../helpers/redis.js';

const password = 'queue-pass-7f3a';
let redis: RedisServer;
let names = 0;

// Each job of a pipeline has an engine of its own: the main one, and two of these tests' own.
const engineB = privateEngine('queue-b', 61);
const engineLost = privateEngine('queue-lost', 62);

before(async () => {
	redis = await startRedis(['--requirepass', password]);
});

after(async () => {
	await redis.stop();
});

const url = (name: string, secret = password) => `redis://:${secret}@127.0.0.1:${redis.port}/${name}`;
const shown = (name: string) => `redis://:***@127.0.0.1:${redis.port}/${name}`;
const fresh = () => `engine-${process.pid}-${++names}`;

/** 30 tiny files, a few longer, so that a job killed mid-run holds some. */
const suite = () => folder(Object.fromEntries(Array.from({length: 30}, (_, index) => [`f${String(index).padStart(2, '0')}.sh`, `echo file ${index}\nsleep ${index % 5 === 0 ? 2 : 0.3}\n`])));

/** Every file of a folder, its text, under it. */
function everyText(directory: string): string {
	return readdirSync(directory, {recursive: true, encoding: 'utf8'})
		.map(name => path.join(directory, name))
		.filter(file => statSync(file).isFile())
		.map(file => readFileSync(file, 'utf8'))
		.join('\n');
}

test('three jobs on three engines share a queue of 30 files, one killed with -9 mid-run: report --queue gives every file passed once, exit 0, no container left', async () => {
	const directory = suite();
	const name = fresh();
	const job = (id: string, host: string | undefined, ...extra: string[]) => start(
		shellArgs(directory, '-j', '2', '--queue', url(name), '--queue-job', id, '--queue-lease', '2', ...extra),
		{cwd: directory, detached: true, ...(host && {env: {DOCKER_HOST: host}})},
	);
	const outputDir = path.join(directory, 'out-a');
	const [a, b, lost] = [job('a', undefined, '--output-dir', outputDir), job('b', engineB().host), job('lost', engineLost().host)];
	const started = await lost.until(events => events.some(event => event.type === 'test-start'));
	const lostRun = runStart(started).runId;
	await lost.stop();
	const [doneA, doneB] = await Promise.all([a.done, b.done]);
	assert.equal(doneA.code, 0, doneA.stderr);
	assert.equal(doneB.code, 0, doneB.stderr);
	assert.match(doneA.stderr, new RegExp(`queue ${shown(name).replaceAll(/[.*]/g, '\\$&')} of 30 files, as job a`));

	const junit = path.join(directory, 'junit.xml');
	const reportDir = path.join(directory, 'report');
	const reported = await baleen(['report', '--queue', url(name), '--junit', junit, '--output-dir', reportDir, '--json', '--queue-wait', '120'], {cwd: directory});
	assert.equal(reported.code, 0, reported.stderr);
	const ends = testEnds(reported.events);
	assert.equal(ends.length, 30);
	assert.equal(new Set(ends.map(end => end.file)).size, 30);
	assert.deepEqual(new Set(ends.map(end => end.status)), new Set(['passed']));
	assert.match(reported.stderr, /30 passed/);
	assert.equal(readJunit(junit).cases.length, 30);
	assert.ok(statSync(path.join(reportDir, 'report.html')).size > 0);
	// The lost job's files came back to the two others: between them they ran every file the lost job did not finish.
	const lostStarted = new Set(started.filter(event => event.type === 'test-start').map(event => event.file));
	const lostEnded = new Set(testEnds((await lost.done).events).map(end => end.file));
	const ranByTwo = new Set([...testEnds(doneA.events), ...testEnds(doneB.events)].map(end => end.file));
	assert.equal(new Set([...ranByTwo, ...lostEnded]).size, 30);
	assert.ok([...lostStarted].every(file => ranByTwo.has(file) || lostEnded.has(file)), 'the files the lost job held were run by the others');
	assert.ok(testEnds(doneB.events).length > 0, 'the job on the second engine took files too');

	await runGone(runStart(doneA.events).runId);
	await until(() => engineB().containersOf(runStart(doneB.events).runId).length === 0, 'job b\'s containers to go', 20_000);
	await until(() => engineLost().containersOf(lostRun).length === 0, 'the lost job\'s containers to go', 20_000);

	for (const text of [doneA.stdout, doneA.stderr, doneB.stdout, doneB.stderr, reported.stdout, reported.stderr, readFileSync(junit, 'utf8'), everyText(outputDir), everyText(reportDir)]) {
		assert.ok(!text.includes(password), 'the password is in no output');
	}
});

test('a wrong password, or a port nobody listens on: exit 2 before any file runs, the URL told with its password hidden', async () => {
	const directory = suite();
	const wrong = await baleen(shellArgs(directory, '--queue', url('x', 'not-the-pass')), {cwd: directory});
	assert.equal(wrong.code, 2);
	assert.match(wrong.stderr, new RegExp(`^baleen: cannot reach the queue at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/x: .*WRONGPASS`, 'm'));
	assert.ok(!wrong.stderr.includes('not-the-pass') && !wrong.stdout.includes('not-the-pass'));
	assert.equal(wrong.events.filter(event => event.type === 'test-start').length, 0);

	const port = await freePort();
	const nobody = await baleen(shellArgs(directory, '--queue', `redis://me:secret-word@127.0.0.1:${port}/x`), {cwd: directory});
	assert.equal(nobody.code, 2);
	assert.match(nobody.stderr, new RegExp(`^baleen: cannot reach the queue at redis://me:\\*\\*\\*@127\\.0\\.0\\.1:${port}/x: .*ECONNREFUSED`, 'm'));
	assert.ok(!nobody.stderr.includes('secret-word'));

	const malformed = await baleen(shellArgs(directory, '--queue', 'redis://me:secret-word@127.0.0.1:1'), {cwd: directory});
	assert.equal(malformed.code, 2);
	assert.match(malformed.stderr, /--queue redis:\/\/me:\*\*\*@127\.0\.0\.1:1: no queue NAME after the host/);
	assert.ok(!malformed.stderr.includes('secret-word'));
});

test('a job whose files differ from the queue\'s is refused, the difference named', async () => {
	const name = fresh();
	const first = folder({'a.sh': 'true\n', 'b.sh': 'true\n'});
	const other = folder({'a.sh': 'true\n', 'c.sh': 'true\n'});
	const ran = await baleen(shellArgs(first, '--queue', url(name)), {cwd: first});
	assert.equal(ran.code, 0, ran.stderr);
	const refused = await baleen(shellArgs(other, '--queue', url(name)), {cwd: other});
	assert.equal(refused.code, 2);
	assert.match(refused.stderr, /holds other files than this job found \(another commit\?\): 1 file only here: c\.sh; 1 file only in the queue: b\.sh/);
	assert.ok(!refused.stderr.includes(password));
	assert.equal(refused.events.filter(event => event.type === 'test-start').length, 0);
});

test('a retried job runs again the files it had, not a fresh share; with --last-failed only those that failed, their new results replacing the old', async () => {
	// Two files fail the first time they run, and pass after (their mark left in the mounted folder).
	const directory = folder(Object.fromEntries(Array.from({length: 8}, (_, index) => [
		`r${index}.sh`,
		index < 2 ? `[ -e /suite/.ran-${index} ] && exit 0\ntouch /suite/.ran-${index}\nsleep 0.5\nexit 1\n` : 'sleep 0.5\n',
	])));
	const name = fresh();
	const job = (id: string, ...extra: string[]) => baleen(shellArgs(directory, '-j', '1', '--queue', url(name), '--queue-job', id, ...extra), {cwd: directory});
	const first = await Promise.all([job('a'), job('b')]);
	const had = first.map(result => new Set(testEnds(result.events).map(end => end.file)));
	const failed = first.map(result => new Set(testEnds(result.events).filter(end => end.status === 'failed').map(end => end.file)));
	assert.equal(had[0]!.size + had[1]!.size, 8);
	assert.equal(failed[0]!.size + failed[1]!.size, 2);

	// The job that had a failure is retried with --last-failed; the other one is retried whole.
	const [withFailure, other] = failed[0]!.size > 0 ? [0, 1] : [1, 0];
	const ids = ['a', 'b'];
	const lastFailed = await job(ids[withFailure]!, '--queue-retry', '--last-failed');
	assert.equal(lastFailed.code, 0, lastFailed.stderr);
	assert.deepEqual(new Set(testEnds(lastFailed.events).map(end => end.file)), failed[withFailure]);
	const whole = await job(ids[other]!, '--queue-retry');
	assert.equal(whole.code, 0, whole.stderr);
	assert.deepEqual(new Set(testEnds(whole.events).map(end => end.file)), had[other]);

	const reported = await baleen(['report', '--queue', url(name), '--json', '--queue-wait', '30'], {cwd: directory});
	assert.equal(reported.code, 0, reported.stderr);
	assert.equal(testEnds(reported.events).length, 8);
	assert.deepEqual(new Set(testEnds(reported.events).map(end => end.status)), new Set(['passed']));
	assert.match(reported.stderr, /more results came after the one that counts/);
});

test('Redis stopped mid-run: the running file finishes, its result is kept and written once the server is back; every file has its result', async () => {
	const server = await startRedis(['--requirepass', password], {durable: true});
	after(async () => server.stop());
	const directory = folder(Object.fromEntries(Array.from({length: 4}, (_, index) => [`s${index}.sh`, 'sleep 1.5\n'])));
	const address = `redis://:${password}@127.0.0.1:${server.port}/${fresh()}`;
	const running = start(shellArgs(directory, '-j', '1', '--queue', address, '--queue-job', 'a'), {cwd: directory});
	await running.until(events => events.filter(event => event.type === 'test-start').length === 2);
	// While the server is away, the file running ends all the same: its result is the job's to keep.
	await server.restart(async () => running.until(events => testEnds(events).length === 2));
	const done = await running.done;
	assert.equal(done.code, 0, done.stderr);
	assert.equal(testEnds(done.events).length, 4);
	assert.ok(!done.stderr.includes(password));

	const reported = await baleen(['report', '--queue', address, '--json', '--queue-wait', '30'], {cwd: directory});
	assert.equal(reported.code, 0, reported.stderr);
	assert.deepEqual(testEnds(reported.events).map(end => end.file).sort(), ['s0.sh', 's1.sh', 's2.sh', 's3.sh']);
	assert.deepEqual(new Set(testEnds(reported.events).map(end => end.status)), new Set(['passed']));
});

test('Redis gone for longer than --engine-wait: the job ends in words, the URL\'s password hidden, and its own reports hold what it ran', async () => {
	const server = await startRedis(['--requirepass', password]);
	after(async () => server.stop());
	const directory = folder({'g0.sh': 'sleep 1\n', 'g1.sh': 'sleep 1\n'});
	const address = `redis://:${password}@127.0.0.1:${server.port}/${fresh()}`;
	const running = start(shellArgs(directory, '-j', '1', '--queue', address, '--queue-job', 'a', '--engine-wait', '3'), {cwd: directory});
	await running.until(events => events.some(event => event.type === 'test-start'));
	await server.stop();
	const done = await running.done;
	assert.notEqual(done.code, 0);
	assert.match(done.stderr, new RegExp(`the queue redis://:\\*\\*\\*@127\\.0\\.0\\.1:${server.port}/\\S+ did not answer for 3 s while writing the result of g\\d\\.sh`));
	assert.equal(testEnds(done.events).length, 1);
	assert.ok(!done.stderr.includes(password) && !done.stdout.includes(password));
});

test('rediss://: a job and report --queue over TLS to a server with a certificate of the test\'s own, trusted through NODE_EXTRA_CA_CERTS; refused in words when it is not', async () => {
	const certificate = selfSignedCertificate();
	const server = await startRedis(['--requirepass', password], {tls: certificate});
	after(async () => {
		await server.stop();
		rmSync(path.dirname(certificate.cert), {recursive: true, force: true});
	});
	const directory = folder({'t0.sh': 'true\n', 't1.sh': 'true\n'});
	const address = `rediss://:${password}@127.0.0.1:${server.port}/${fresh()}`;
	const trusting = {NODE_EXTRA_CA_CERTS: certificate.cert};

	const untrusted = await baleen(shellArgs(directory, '--queue', address), {cwd: directory});
	assert.equal(untrusted.code, 2);
	assert.match(untrusted.stderr, new RegExp(`^baleen: cannot reach the queue at rediss://:\\*\\*\\*@127\\.0\\.0\\.1:${server.port}/\\S+: .*self-signed certificate`, 'm'));

	const ran = await baleen(shellArgs(directory, '--queue', address), {cwd: directory, env: trusting});
	assert.equal(ran.code, 0, ran.stderr);
	const reported = await baleen(['report', '--queue', address, '--json', '--queue-wait', '30'], {cwd: directory, env: trusting});
	assert.equal(reported.code, 0, reported.stderr);
	assert.deepEqual(testEnds(reported.events).map(end => end.file).sort(), ['t0.sh', 't1.sh']);
	assert.ok(![untrusted, ran, reported].some(result => result.stderr.includes(password) || result.stdout.includes(password)));
});
