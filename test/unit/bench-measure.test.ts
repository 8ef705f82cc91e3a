import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {goal, interleave, median, ratioTable, readOptions, type Times, UsageError} from '../../bench/lib/measure.js';
import {socketPath} from '../../bench/lib/engine-api.js';
import {session} from '../../bench/lib/session.js';

test('interleave starts each round one way further along, so no way always goes first', async () => {
	const order: string[] = [];
	const way = (name: string) => ({name, run: async () => {
		order.push(name);
	}});
	const times = await interleave([way('a'), way('b'), way('c')], 4);
	assert.deepEqual(order, ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b', 'a', 'b', 'c']);
	assert.deepEqual([...times.keys()], ['a', 'b', 'c']);
	assert.ok([...times.values()].every(list => list.length === 4));
});

test('the ratio table and the goal compare best with best and median with median', () => {
	const times: Times = new Map([['raw', [10_000, 12_000, 20_000]], ['baleen', [5000, 7000, 6500]]]);
	assert.equal(median([3, 1, 2, 10]), 2.5);
	const table = ratioTable(times, 'raw').split('\n');
	assert.equal(table[2], '| raw | 10.00 s | 12.00 s | 1.00 | 1.00 |');
	assert.equal(table[3], '| baleen | 5.00 s | 6.50 s | 0.50 | 0.54 |');
	assert.match(goal(times, 'baleen', 'raw', 0.55), /: met \(best 0\.50, median 0\.54\)/);
	assert.match(goal(times, 'baleen', 'raw', 0.52), /: met on best only/);
	assert.match(goal(times, 'baleen', 'raw', 0.4), /: NOT met/);
});

test('bench options: sizes are whole numbers with defaults, extras pass through, bad ones are usage errors', () => {
	assert.deepEqual(readOptions(['-j', '3', '--only', 'a,b'], {files: 60, concurrency: 8, rounds: 5}, ['only']), {files: 60, concurrency: 3, rounds: 5, extra: {only: 'a,b'}});
	assert.equal(readOptions(['--work', 'cpu'], ({work}) => ({files: work === 'cpu' ? 40 : 60, concurrency: 2, rounds: 2}), ['work']).files, 40);
	assert.throws(() => readOptions(['--files', '0'], {files: 60, concurrency: 8, rounds: 5}), UsageError);
	assert.throws(() => readOptions(['--rounds', '1.5'], {files: 60, concurrency: 8, rounds: 5}), UsageError);
});

test('the raw loop talks to a unix socket only', () => {
	assert.equal(socketPath(undefined), '/var/run/docker.sock');
	assert.equal(socketPath('unix:///run/user/1000/docker.sock'), '/run/user/1000/docker.sock');
	assert.throws(() => socketPath('tcp://127.0.0.1:2375'), UsageError);
});

test('a session removes its folders and runs what it deferred, in reverse, once, even when closed twice', async () => {
	const bench = session();
	const dir = bench.folder({'a.sh': 'true\n'});
	const released: string[] = [];
	bench.defer(() => released.push('first'));
	bench.defer(() => released.push('second'));
	await bench.sh('test -f a.sh', {cwd: dir});
	await Promise.all([bench.close(), bench.close()]);
	assert.equal(existsSync(dir), false);
	assert.deepEqual(released, ['second', 'first']);
	assert.equal(bench.signal.aborted, true);
	await assert.rejects(bench.sh('true'), /cancelled/);
});

test('a session stops the commands still running when it closes', async () => {
	const bench = session();
	const running = bench.sh('sleep 30');
	await bench.close();
	// Killed by the signal, so no exit code: it did not run to its end.
	await assert.rejects(running, /exited null/);
});
