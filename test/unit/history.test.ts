import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, test} from 'node:test';
import {mergeTimings} from '../../source/commands/timings.js';
import {BaleenError} from '../../source/errors.js';
import {
	historyFiles, pendingRecords, readKnown, readLastRun, readOutcomes, readResources, readTests, readTimings, recordLastRun, recordRun, recordTimings, resourcesFile, testsFile,
} from '../../source/plan/history.js';
import {fold, latest, outcomesOf} from '../../source/plan/outcomes.js';

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

describe('outcomes: what runs learnt of each file, folded into what later runs read', () => {
	const known = {timings: {a: 100, b: 200}, lastRun: {at: '2026-12-01T00:00:00.000Z', notPassed: ['a', 'gone']}};

	test('a file\'s later outcome counts, in whichever order the records come', () => {
		const early = {a: {at: '2026-12-02T00:00:00.000Z', status: 'failed', ms: 1} as const};
		const late = {a: {at: '2026-12-03T00:00:00.000Z', status: 'passed', ms: 2} as const};
		assert.deepEqual(latest(early, late), late);
		assert.deepEqual(latest(late, early), late);
	});

	test('a timed file gets its new time, a file that ran its new status; the others keep theirs', () => {
		const folded = fold(known, {
			a: {at: '2026-12-02T00:00:00.000Z', status: 'flaky', ms: 150},
			b: {at: '2026-12-02T00:00:00.000Z', status: 'cancelled'},
			c: {at: '2026-12-04T00:00:00.000Z', status: 'timed-out', ms: 900},
		});
		assert.deepEqual(folded, {timings: {a: 150, b: 200, c: 900}, lastRun: {at: '2026-12-04T00:00:00.000Z', notPassed: ['b', 'c', 'gone']}});
		assert.equal(fold(known), known, 'nothing to fold: as it was');
		assert.equal(fold({timings: {}, lastRun: undefined}, {}).lastRun, undefined, 'no run recorded stays none');
	});

	test('one run\'s outcomes: a time only for a file that ran to an end of its own', () => {
		assert.deepEqual(outcomesOf(new Map([['a', {status: 'error', durationMs: 5}], ['b', {status: 'failed', durationMs: 7}]]), 'now'), {
			a: {at: 'now', status: 'error'},
			b: {at: 'now', status: 'failed', ms: 7},
		});
	});
});

describe('a sharded run keeps its outcomes apart; the next run without --shard folds them in', () => {
	const base = () => path.dirname(place());
	const at = (minute: number) => `2026-12-06T10:0${minute}:00.000Z`;

	test('each shard writes only its own record, updating what its earlier runs left', () => {
		const folder = base();
		const shard = (index: number) => historyFiles(folder, 'cart', undefined, {index, count: 2});
		recordTimings(shard(1).timings, 'cart', {a: 1, b: 1});
		recordRun(shard(1), {a: {at: at(1), status: 'failed', ms: 10}, c: {at: at(1), status: 'passed', ms: 30}});
		recordRun(shard(2), {b: {at: at(2), status: 'failed', ms: 20}});
		recordRun(shard(1), {a: {at: at(3), status: 'passed', ms: 11}});
		assert.deepEqual(readTimings(shard(1).timings, 'cart'), {a: 1, b: 1}, 'timings.json as it was');
		assert.equal(readLastRun(shard(1).lastRun, 'cart'), undefined);
		assert.deepEqual(readOutcomes(shard(1).shardRecord!, 'cart'), {a: {at: at(3), status: 'passed', ms: 11}, c: {at: at(1), status: 'passed', ms: 30}});
		assert.deepEqual(pendingRecords(shard(1).timings), [shard(1).shardRecord, shard(2).shardRecord]);
		assert.deepEqual(readKnown(shard(2)).current, {timings: {a: 11, b: 20, c: 30}, lastRun: {at: at(3), notPassed: ['b']}});
		assert.deepEqual(readKnown(shard(2)).recorded, {timings: {a: 1, b: 1}, lastRun: undefined});
	});

	test('a run without --shard folds the records in with its own outcomes, and removes this project\'s part of them', () => {
		const folder = base();
		const sharded = historyFiles(folder, 'cart', undefined, {index: 1, count: 2});
		recordRun({...sharded, project: 'api'}, {x: {at: at(1), status: 'failed', ms: 5}});
		recordRun(sharded, {a: {at: at(1), status: 'failed', ms: 10}, b: {at: at(1), status: 'failed', ms: 10}});
		const whole = historyFiles(folder, 'cart');
		recordRun(whole, {b: {at: at(2), status: 'passed', ms: 12}});
		assert.deepEqual(readTimings(whole.timings, 'cart'), {a: 10, b: 12});
		assert.deepEqual(readLastRun(whole.lastRun, 'cart'), {at: at(2), notPassed: ['a']});
		assert.deepEqual(readOutcomes(sharded.shardRecord!, 'cart'), {});
		assert.deepEqual(Object.keys(readOutcomes(sharded.shardRecord!, 'api')), ['x'], 'another project\'s part stays');
		recordRun({...whole, project: 'api'}, {});
		assert.deepEqual(pendingRecords(whole.timings), [], 'a record with no project left is removed');
	});
});

test('tests.json keeps each file\'s tests and their times as the last run told them, beside the timings, a shard\'s folded in later; a hand-broken entry is left out', () => {
	const folder = path.dirname(place());
	const at = (day: number) => `2026-12-0${day}T10:00:00.000Z`;
	const whole = historyFiles(folder, 'cart');
	recordRun(whole, {a: {at: at(1), status: 'passed', ms: 30, tests: [{name: 'one', ms: 10}, {name: 'two', classname: 'suite', ms: 20}]}, b: {at: at(1), status: 'passed', ms: 5}});
	assert.deepEqual(readTests(whole.timings, 'cart'), {a: [{name: 'one', ms: 10}, {name: 'two', classname: 'suite', ms: 20}]});
	assert.equal(testsFile(whole.timings), path.join(folder, '.baleen', 'tests.json'));
	recordRun(historyFiles(folder, 'cart', undefined, {index: 1, count: 2}), {b: {at: at(2), status: 'failed', ms: 6, tests: [{name: 'x', ms: 6}]}});
	assert.deepEqual(readKnown(whole).current.tests, {a: [{name: 'one', ms: 10}, {name: 'two', classname: 'suite', ms: 20}], b: [{name: 'x', ms: 6}]}, 'the shard\'s record counts from the next run on');
	assert.deepEqual(Object.keys(readKnown(whole).recorded.tests ?? {}), ['a']);
	recordRun(whole, {a: {at: at(3), status: 'passed', ms: 31, tests: [{name: 'one', ms: 11}]}});
	assert.deepEqual(readTests(whole.timings, 'cart'), {a: [{name: 'one', ms: 11}], b: [{name: 'x', ms: 6}]}, 'a file\'s tests replaced whole: a test gone is gone');
	writeFileSync(testsFile(whole.timings), JSON.stringify({schema: 1, projects: {cart: {a: [{name: 'one', ms: -1}], b: [{name: 'x', ms: 6}]}}}));
	assert.deepEqual(readTests(whole.timings, 'cart'), {b: [{name: 'x', ms: 6}]});
});

test('resources.json keeps what each file\'s container took, per file, as the last run that measured it told it; a shard\'s folded in later; a hand-broken entry is left out', () => {
	const folder = path.dirname(place());
	const at = (day: number) => `2026-12-0${day}T10:00:00.000Z`;
	const whole = historyFiles(folder, 'cart');
	const [a, b] = [{memoryPeakBytes: 1000, cpuMs: 50, pidsPeak: 3}, {memoryPeakBytes: 2000, cpuMs: 70}];
	recordRun(whole, outcomesOf([['a', {status: 'passed', durationMs: 30, resources: a}], ['b', {status: 'cancelled', durationMs: 1}]], at(1)));
	assert.deepEqual(readResources(whole.timings, 'cart'), {a});
	assert.equal(resourcesFile(whole.timings), path.join(folder, '.baleen', 'resources.json'));
	recordRun(historyFiles(folder, 'cart', undefined, {index: 1, count: 2}), outcomesOf([['b', {status: 'failed', durationMs: 6, resources: b}]], at(2)));
	assert.deepEqual(readKnown(whole).current.resources, {a, b});
	recordRun(whole, outcomesOf([['a', {status: 'passed', durationMs: 31}]], at(3)));
	assert.deepEqual(readResources(whole.timings, 'cart'), {a, b}, 'a run that measured nothing of a file keeps what was known');
	writeFileSync(resourcesFile(whole.timings), JSON.stringify({schema: 1, projects: {cart: {a: {memoryPeakBytes: 'lots'}, b, c: {weight: 3}}}}));
	assert.deepEqual(readResources(whole.timings, 'cart'), {b});
});

describe('baleen timings merge', () => {
	const at = '2026-12-06T10:00:00.000Z';
	const sharded = (folder: string, index: number) => historyFiles(folder, 'cart', undefined, {index, count: 2});

	test('folds every shard\'s record beside the timings, every project, and removes them', () => {
		const folder = path.dirname(place());
		recordRun(sharded(folder, 1), {a: {at, status: 'failed', ms: 10}});
		recordRun({...sharded(folder, 2), project: 'api'}, {b: {at, status: 'passed', ms: 20}});
		const history = historyFiles(folder, 'default');
		assert.deepEqual(mergeTimings([], history, folder), ['merged 2 shard records (project api, cart) into .baleen/timings.json and .baleen/last-run.json']);
		assert.deepEqual(readTimings(history.timings, 'cart'), {a: 10});
		assert.deepEqual(readTimings(history.timings, 'api'), {b: 20});
		assert.deepEqual(readLastRun(history.lastRun, 'cart')?.notPassed, ['a']);
		assert.deepEqual(pendingRecords(history.timings), []);
		assert.deepEqual(mergeTimings([], history, folder), ['no shard\'s record to merge beside .baleen/timings.json']);
	});

	test('folds the files given (a CI job\'s downloaded records); one that is not a record is a usage error naming it', () => {
		const folder = path.dirname(place());
		const elsewhere = path.dirname(place());
		recordRun(sharded(elsewhere, 1), {a: {at, status: 'passed', ms: 10}});
		const history = historyFiles(folder, 'cart');
		assert.match(mergeTimings([sharded(elsewhere, 1).shardRecord!], history, folder)[0]!, /^merged 1 shard record \(project cart\) into/);
		assert.deepEqual(readTimings(history.timings, 'cart'), {a: 10});
		const bad = path.join(folder, 'not-a-record.json');
		writeFileSync(bad, '{"schema": 2}');
		for (const [file, message] of [[bad, /^not-a-record\.json is not a shard's record/], [path.join(folder, 'gone.json'), /^cannot read gone\.json \(ENOENT\): give the shard-I-of-N\.json records that runs with --shard wrote$/]] as const) {
			assert.throws(() => mergeTimings([path.basename(file)], history, folder), (error: unknown) => error instanceof BaleenError && message.test(error.message));
		}
	});
});
