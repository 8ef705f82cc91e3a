import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {BaleenError} from '../../source/errors.js';
import {checked} from '../../source/options/check.js';
import {shard} from '../../source/options/settings/shard.js';
import {
	expectedTimes, longestFirst, shardFiles, type Timings,
} from '../../source/plan/shard.js';

describe('--shard I/N', () => {
	test('parses I/N and refuses anything else', () => {
		assert.deepEqual(checked(shard, '2/4'), {index: 2, count: 4});
		assert.deepEqual(checked(shard, {index: 2, count: 4}), {index: 2, count: 4});
		for (const bad of ['0/4', '5/4', '2', 'a/b', '2/0', '-1/3', '', {index: 1.5, count: 2}]) {
			assert.throws(() => checked(shard, bad), (error: unknown) => error instanceof BaleenError && /--shard takes I\/N/.test(error.message));
		}
	});

	test('without timings: sorted names, round-robin', () => {
		const files = ['e', 'a', 'd', 'c', 'b'];
		assert.deepEqual(shardFiles(files, {index: 1, count: 2}), ['a', 'c', 'e']);
		assert.deepEqual(shardFiles(files, {index: 2, count: 2}), ['b', 'd']);
	});

	test('with timings: LPT bin packing balances the work', () => {
		const timings = {big: 6000, a: 1000, b: 1000, c: 1000, d: 1000, e: 1000, f: 1000};
		const shards = [1, 2].map(index => shardFiles(Object.keys(timings), {index, count: 2}, timings));
		assert.deepEqual(shards, [['big'], ['a', 'b', 'c', 'd', 'e', 'f']]);
	});
});

test('a file never timed counts as the mean of the timed ones', () => {
	assert.deepEqual(expectedTimes(['a', 'b', 'new'], {a: 1000, b: 3000, gone: 99}), new Map([['a', 1000], ['b', 3000], ['new', 2000]]));
	assert.equal(expectedTimes(['a'], {}), undefined);
	assert.deepEqual(longestFirst(['z', 'a', 'new', 'm'], {z: 5000, a: 100, m: 100}), ['z', 'new', 'a', 'm']);
	assert.deepEqual(longestFirst(['b', 'a'], {}), ['a', 'b']);
});

/** A small seeded generator, so that a failing case can be run again. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

test('property: over random file lists and timings, every file is in exactly one shard, and the split does not depend on the order given', () => {
	for (let seed = 1; seed <= 300; seed++) {
		const next = random(seed);
		const files = Array.from({length: Math.floor(next() * 40)}, (_, index) => `spec/${Math.floor(next() * 1000)}-${index}.rb`);
		const timings: Timings = Object.fromEntries(files.filter(() => next() < 0.6).map(file => [file, Math.floor(next() * 10_000)]));
		const withTimings = next() < 0.7;
		const count = 1 + Math.floor(next() * 6);
		const shards = Array.from({length: count}, (_, index) => shardFiles(files, {index: index + 1, count}, withTimings ? timings : {}));
		assert.deepEqual(shards.flat().sort(), [...files].sort(), `seed ${seed}: each file in exactly one shard`);
		const shuffled = [...files].sort(() => next() - 0.5);
		assert.deepEqual(Array.from({length: count}, (_, index) => shardFiles(shuffled, {index: index + 1, count}, withTimings ? timings : {})), shards, `seed ${seed}: the same split from another order`);
	}
});
