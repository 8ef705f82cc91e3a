import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import type {PartEnd, TestEnd} from '../../source/events.js';
import {frameworks as presets} from '../../source/frameworks/registry.js';
import type {TestTime} from '../../source/plan/split.js';
import {leftovers, runStart, testEnds} from '../helpers/cli.js';
import {frameworks, frameworksFolder, readExpected} from '../helpers/framework-suites.js';
import {folder} from '../helpers/folder.js';
import {runPreset} from '../helpers/preset.js';
import {mochaTimed, readTests, rootOf, type Tests} from '../helpers/split-timings.js';

/** The frameworks whose presets can pick a file's tests (issue 21 asks for cucumber, mocha, pytest and go at least). */
const splitting = ['cucumber', 'mocha', 'pytest', 'go', 'rspec'] as const;

const presetFile = (name: string, file: string) => (name === 'go' ? file.replace(/^\.\//, '') : file);

/**
What an earlier run would have recorded if tests had changed since: in a file with the test whose
name holds regex metacharacters (go: a subtest of it), that test's unit is the heaviest (an `only`
part of its own, and in the `except` of the part that takes the rest), the next one is renamed since
(`…_was`: an `only` part names a test that is gone) and a third is kept, any more left out (new since);
in a file without, one is renamed, the others left out, and a test since deleted is known instead.
Every file is timed at a minute, so that `--split 1` makes as many parts as units are known.
*/
function pastTests(name: (typeof splitting)[number], tests: Tests, rename = true): {tests: Tests; parts: Record<string, number>} {
	const unit = presets[name].split!.unit;
	const renamed = (test: TestTime): TestTime => ({...test, name: name === 'go' ? test.name.replace(/^[^/]+/, top => `${top}_was`) : `${test.name}_was`});
	const parts: Record<string, number> = {};
	const past = Object.fromEntries(Object.entries(tests).map(([file, cases]) => {
		const unitOf = (test: TestTime) => unit(test, file);
		const meta = cases.find(test => /[()[\]?+]/.test(test.name));
		const others = [...new Set(cases.map(test => unitOf(test)))].filter(each => !meta || each !== unitOf(meta));
		const [changed, kept] = others;
		const timed = (test: TestTime): TestTime[] => {
			const own = unitOf(test);
			if (meta && own === unitOf(meta)) {
				return [{...test, ms: 5000}];
			}

			if (own === changed) {
				return [{...(rename ? renamed(test) : test), ms: 4000}];
			}

			return meta && own === kept ? [{...test, ms: 1000}] : [];
		};

		const gone: TestTime[] = meta ? [] : [{name: name === 'go' ? 'TestSinceDeleted' : 'a test since deleted', ...(cases[0]?.classname !== undefined && {classname: cases[0].classname}), ms: 1000}];
		parts[file] = meta ? 3 : 2;
		return [file, [...cases.flatMap(test => timed(test)), ...gone]];
	}));
	return {tests: past, parts};
}

/** Each file's tests as `file › name`, sorted, for comparing with what the framework itself listed. */
const names = (ends: readonly TestEnd[]) => ends.flatMap(end => (end.testcases ?? []).map(test => `${end.file} › ${test.name}`)).sort();

/** Runs the suite once to learn its tests, then split with the tests an earlier run would have known (see `pastTests`). */
async function splitRun(name: (typeof splitting)[number], rename: boolean) {
	const {image} = frameworks[name]!;
	const timings = path.join(folder(), 'timings.json');
	const suite = {suite: path.join(frameworksFolder, name), image, root: rootOf(image)};
	const first = await runPreset(name, {...suite, extra: ['--timings', timings, '--split', 'off']});
	assert.deepEqual(first.events.filter(event => event.type === 'part-end'), [], '--split off: no part');

	const {tests, parts} = pastTests(name, readTests(timings), rename);
	writeFileSync(path.join(path.dirname(timings), 'tests.json'), JSON.stringify({schema: 1, projects: {default: tests}}));
	writeFileSync(timings, JSON.stringify({schema: 1, projects: {default: Object.fromEntries(Object.keys(tests).map(file => [file, 60_000]))}}));
	const split = await runPreset(name, {...suite, extra: ['--timings', timings, '--split', '1', '-j', '4']});
	return {first, split, parts};
}

/** Each test once, as the framework itself lists the file's tests (EXPECTED.json: each file run alone, as its report told it). */
function assertEachOnce(name: string, split: Awaited<ReturnType<typeof splitRun>>['split'], first: Awaited<ReturnType<typeof splitRun>>['first']) {
	const expected = readExpected(name);
	const ends = testEnds(split.events);
	const listed = Object.entries(expected.files).flatMap(([file, {tests}]) => tests.map(test => `${presetFile(name, file)} › ${test.name}`)).sort();
	assert.deepEqual(names(ends), listed, 'each test exactly once, as the framework lists them');
	assert.deepEqual(
		Object.fromEntries(ends.map(({file, status}) => [file, status])),
		Object.fromEntries(Object.entries(expected.files).map(([file, {status}]) => [presetFile(name, file), status])),
	);
	assert.deepEqual(split.tests.map(test => `${test.file} › ${test.name}`).sort(), listed, 'JUnit too');
	assert.equal(split.code, first.code);
	assert.deepEqual(split.totals, first.totals);
	assert.deepEqual(leftovers(runStart(split.events).runId), []);
}

describe('a file split by its tests runs each of them exactly once: a test new since the timings, a renamed one and one whose name holds regex metacharacters', {concurrency: 2}, () => {
	for (const name of splitting) {
		test(name, async () => {
			const {first, split, parts} = await splitRun(name, true);
			assertEachOnce(name, split, first);
			const partEnds = split.events.filter((event): event is PartEnd => event.type === 'part-end');
			for (const end of testEnds(split.events)) {
				const own = partEnds.filter(part => part.file === end.file);
				assert.deepEqual([end.split?.parts, own.length], [parts[end.file], parts[end.file]], `${end.file}: its parts`);
				if (name === 'pytest') {
					// pytest refuses a node id that is gone (exit 4): the file runs whole after its parts, once, and says why.
					assert.match(end.split?.whole ?? '', /failed \(exit code 4\) without a failed test in its report/);
				} else {
					assert.equal(end.split?.whole, undefined);
					assert.deepEqual(own.flatMap(part => (part.testcases ?? []).map(test => test.name)).sort(), (end.testcases ?? []).map(test => test.name).sort(), 'the parts\' tests are the file\'s');
				}
			}
		});
	}

	test('pytest, no test renamed: split, without running whole', async () => {
		const {first, split, parts} = await splitRun('pytest', false);
		assertEachOnce('pytest', split, first);
		for (const end of testEnds(split.events)) {
			assert.deepEqual([end.split?.parts, end.split?.whole], [parts[end.file], undefined], end.file);
		}
	});
});

test('--shard: a file\'s parts run in the shard that planned the file, and the shards together run each test once', async () => {
	const {suite, timings} = await mochaTimed(() => 1000);
	const shards = await Promise.all([1, 2].map(async index => runPreset('mocha', {...suite, extra: ['--timings', timings, '--split', '1', '-j', '4', '--shard', `${index}/2`]})));
	const listed = Object.entries(readExpected('mocha').files).flatMap(([file, {tests}]) => tests.map(test => `${file} › ${test.name}`)).sort();
	assert.deepEqual(shards.flatMap(shard => names(testEnds(shard.events))).sort(), listed);
	for (const shard of shards) {
		const {shard: plan} = runStart(shard.events);
		const own = new Set(testEnds(shard.events).map(end => end.file));
		assert.equal(own.size, 1, 'one file a shard');
		const partsRan = shard.events.filter((event): event is PartEnd => event.type === 'part-end');
		assert.ok(partsRan.length >= 2, 'split within its shard');
		assert.ok(partsRan.every(part => own.has(part.file)), 'every part is of a file of the shard');
		assert.ok(plan, 'run-start tells the shard');
		assert.deepEqual(plan.files, Object.keys(readExpected('mocha').files).sort(), 'the shards planned the same files');
	}
});

test('--bail: a split file counts once, when its last part ends; the parts not started then do not run, and no test is counted twice', async () => {
	// The failing file's two parts are the heaviest: they start first, in both slots; the other file's parts wait.
	// Whichever part of the failing file ends first frees a slot for the other file's first part, which holds
	// for 15 s: the failing file's last part ends well before it, however loaded the machine.
	const {suite, timings} = await mochaTimed(file => (file.includes('words') ? 5000 : 1000));
	const run = await runPreset('mocha', {...suite, extra: ['--timings', timings, '--split', '1', '-j', '2', '--bail', '1', '-e', 'ARITHMETIC_WAIT_MS=15000']});
	assert.equal(run.code, 1);
	const ends = new Map(testEnds(run.events).map(end => [end.file, end]));
	assert.equal(ends.size, 2);
	assert.equal(ends.get('test/words.spec.js')?.status, 'failed');
	assert.equal(ends.get('test/words.spec.js')?.split?.parts, 2);
	// The slot its first part freed took the next part, before the file's end counted: that part runs to its end, the others never start.
	const other = ends.get('test/arithmetic.spec.js')!;
	assert.equal(other.status, 'cancelled');
	const started = run.events.filter(event => event.type === 'test-start' && event.file === 'test/arithmetic.spec.js').length;
	assert.ok(started <= 1, `${started} of its parts started`);
	assert.equal((run.events.find(event => event.type === 'run-end') as {bailed?: boolean} | undefined)?.bailed, true);
	const words = ['test/words.spec.js › joins words with a space', 'test/words.spec.js › upper-cases a word'];
	const ran = names(testEnds(run.events));
	assert.deepEqual(ran.filter(name => name.startsWith('test/words')), words);
	const arithmetic = new Set(readExpected('mocha').files['test/arithmetic.spec.js']!.tests.map(test => `test/arithmetic.spec.js › ${test.name}`));
	assert.ok(ran.filter(name => !name.startsWith('test/words')).every(name => arithmetic.has(name)), 'the other file tells only the tests of the part that ran');
	assert.equal(new Set(ran).size, ran.length, 'no test twice');
});
