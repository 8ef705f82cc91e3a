import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {
	readLastRun, readTimings, recordLastRun, recordTimings,
} from '../../source/plan/history.js';

const place = () => path.join(mkdtempSync(path.join(tmpdir(), 'baleen-history-')), '.baleen', 'timings.json');

test('timings merge with what is there, per project, and two projects never mix', () => {
	const file = place();
	assert.deepEqual(readTimings(file, 'cart'), {}, 'no file yet: nothing known');
	recordTimings(file, 'cart', {a: 100, b: 200});
	recordTimings(file, 'cart', {b: 250, c: 300});
	recordTimings(file, 'api', {a: 9});
	assert.deepEqual(readTimings(file, 'cart'), {a: 100, b: 250, c: 300});
	assert.deepEqual(readTimings(file, 'api'), {a: 9});
	assert.deepEqual(readdirSync(path.dirname(file)), ['timings.json'], 'no partial file is left beside it');
});

test('a file that cannot be read is taken as empty and written anew', () => {
	const file = place();
	recordTimings(file, 'cart', {a: 1});
	writeFileSync(file, '{not json');
	assert.deepEqual(readTimings(file, 'cart'), {});
	recordTimings(file, 'cart', {b: 2});
	assert.deepEqual(readTimings(file, 'cart'), {b: 2});
});

test('the last run\'s files that did not pass, per project', () => {
	const file = place();
	assert.equal(readLastRun(file, 'cart'), undefined);
	recordLastRun(file, 'cart', {at: '2026-11-30T12:00:00.000Z', notPassed: ['b', 'a']});
	recordLastRun(file, 'api', {at: '2026-11-30T12:00:00.000Z', notPassed: []});
	assert.deepEqual(readLastRun(file, 'cart'), {at: '2026-11-30T12:00:00.000Z', notPassed: ['b', 'a']});
	assert.deepEqual(readLastRun(file, 'api')?.notPassed, []);
});

test('entries a hand-edited file got wrong are left out', () => {
	const file = place();
	mkdirSync(path.dirname(file));
	writeFileSync(file, JSON.stringify({schema: 1, projects: {cart: {a: 100, b: -5, c: 'slow', d: null}, api: 'x', web: {at: 'then', notPassed: 'a'}}}));
	assert.deepEqual(readTimings(file, 'cart'), {a: 100});
	assert.deepEqual(readTimings(file, 'api'), {});
	assert.equal(readLastRun(file, 'web'), undefined);
	recordTimings(file, 'cart', {e: 1});
	assert.deepEqual(readTimings(file, 'cart'), {a: 100, e: 1});
});
