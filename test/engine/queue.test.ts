import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {baleen, runGone, runStart, shellArgs, start, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {readJunit} from '../helpers/junit.js';
import {privateEngine} from '../helpers/dockerd.js';
import {until} from '../helpers/poll.js';
import {freePort, startRedis, type RedisServer} from '../helpers/redis.js';

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
	const reported = await baleen(['report', '--queue', url(name), '--junit', junit, '--json', '--queue-wait', '120'], {cwd: directory});
	assert.equal(reported.code, 0, reported.stderr);
	const ends = testEnds(reported.events);
	assert.equal(ends.length, 30);
	assert.equal(new Set(ends.map(end => end.file)).size, 30);
	assert.deepEqual(new Set(ends.map(end => end.status)), new Set(['passed']));
	assert.match(reported.stderr, /30 passed/);
	assert.equal(readJunit(junit).cases.length, 30);
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

	for (const text of [doneA.stdout, doneA.stderr, doneB.stdout, doneB.stderr, reported.stdout, reported.stderr, readFileSync(junit, 'utf8'), everyText(outputDir)]) {
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
