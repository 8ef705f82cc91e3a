import assert from 'node:assert/strict';
import {test} from 'node:test';
import {heapFlag} from '../../source/heap.js';

test('the CLI bounds the heap\'s growth, unless node was given a bound of its own', () => {
	assert.equal(heapFlag([], ''), '--heap-growing-percent=30');
	assert.equal(heapFlag(['--enable-source-maps'], '--max-old-space-size=4096'), '--heap-growing-percent=30');
	assert.equal(heapFlag(['--heap-growing-percent=200'], ''), undefined);
	assert.equal(heapFlag([], '--heap_growing_percent=100'), undefined);
});
