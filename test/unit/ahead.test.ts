import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ahead, aheadKey} from '../../source/backends/docker/ahead.js';
import type {Engine} from '../../source/backends/docker/engine.js';

/** Just the removals of an engine, recorded. */
function removals(): {engine: Engine; removed: string[]} {
	const removed: string[] = [];
	return {engine: {remove: async (id: string) => void removed.push(id)} as unknown as Engine, removed};
}

test('a container made ahead is taken by its file in its slot, in the namespace it was made in', async () => {
	const {engine, removed} = removals();
	const made = ahead(engine);
	made.make('a.sh', 0, async () => ({id: 'c1', networkMode: 'container:h0'}));
	assert.equal(await made.take('a.sh', 0, 'container:h0'), 'c1');
	assert.equal(made.take('a.sh', 0, 'container:h0'), undefined, 'taken once');
	await made.close();
	assert.deepEqual(removed, [], 'the taker removes it');
});

test('made for another slot, before a restart, or in a namespace the slot no longer has: removed, and made anew by the taker', async () => {
	const {engine, removed} = removals();
	let generation = 0;
	const made = ahead(engine, () => generation);
	made.make('a.sh', 0, async () => ({id: 'c1', networkMode: 'container:h0'}));
	made.make('b.sh', 1, async () => ({id: 'c2', networkMode: 'container:h1'}));
	made.make('c.sh', 1, async () => ({id: 'c3', networkMode: 'container:h1'}));
	made.make('d.sh', 0, async () => ({id: 'c4', networkMode: 'container:h0'}));
	assert.equal(made.take('a.sh', 1, 'container:h1'), undefined);
	await assert.rejects(made.take('b.sh', 1, 'container:h9')!, /no longer has/);
	generation = 1;
	assert.equal(made.take('c.sh', 1, 'container:h1'), undefined);
	await made.close();
	assert.deepEqual(removed.toSorted(), ['c1', 'c2', 'c3', 'c4'], 'd.sh was never taken: close removes it');
});

test('made for a job, its file and its command: another command of the same file (a part\'s retry of its failed tests, the next part) does not take it', async () => {
	const {engine, removed} = removals();
	const made = ahead(engine);
	const job = (cmd: string[]) => ({file: 'a.spec.js', spec: {cmd}} as unknown as Parameters<typeof aheadKey>[0]);
	made.make(aheadKey(job(['mocha', '--grep', '^(?:b)$', 'a.spec.js'])), 0, async () => ({id: 'next-part', networkMode: 'container:h0'}));
	assert.equal(made.take(aheadKey(job(['mocha', '--grep', '^(?:a)$', 'a.spec.js'])), 0, 'container:h0'), undefined, 'the retry of the part before makes its own');
	assert.equal(await made.take(aheadKey(job(['mocha', '--grep', '^(?:b)$', 'a.spec.js'])), 0, 'container:h0'), 'next-part');
	await made.close();
	assert.deepEqual(removed, []);
});
