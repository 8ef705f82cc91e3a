import assert from 'node:assert/strict';
import {test} from 'node:test';
import {balance, splitFiles, unitTimes, type Splitting, type TestTime} from '../../source/plan/split.js';
import type {Task} from '../../source/run/attempts.js';

const byName = (test: {name: string}) => test.name;
const goUnit = (test: {name: string}) => test.name.split('/')[0]!;
const tests = (count: number, ms: number, prefix = 't'): TestTime[] => Array.from({length: count}, (_, index) => ({name: `${prefix}${index + 1}`, ms}));

/** Which tests of `all` each task runs, by its selection. */
function ranBy(tasks: readonly Task[], file: string, all: readonly string[]): string[][] {
	return tasks.filter(task => task.file === file).map(({selection}) => {
		if (!selection) {
			return [...all];
		}

		return 'only' in selection ? [...selection.only] : all.filter(name => !selection.except.includes(name));
	});
}

test('a unit\'s time: a test named as its unit stands for it whole (go\'s parent), the others add up', () => {
	const times = unitTimes([
		{name: 'TestA', ms: 900}, {name: 'TestA/one', ms: 400}, {name: 'TestA/two', ms: 450}, {name: 'TestB/x', ms: 100}, {name: 'TestB/y', ms: 200},
	], goUnit);
	assert.deepEqual(Object.fromEntries(times), {TestA: 900, TestB: 300});
	assert.deepEqual(Object.fromEntries(unitTimes([{name: 'a', classname: 'x', ms: 5}, {name: 'b', ms: 7}], test => `${test.classname ?? ''}${test.name}`)), {xa: 5, b: 7});
});

test('balance: the longest first to the least loaded part, ties by name; never an empty part', () => {
	assert.deepEqual(balance(new Map([['a', 5], ['b', 4], ['c', 3], ['d', 3], ['e', 1]]), 2), [{units: ['a', 'd'], ms: 8}, {units: ['b', 'c', 'e'], ms: 8}]);
	assert.deepEqual(balance(new Map([['a', 1]]), 3), [{units: ['a'], ms: 1}]);
});

const files = ['big.spec.js', ...Array.from({length: 8}, (_, index) => `small${index}.spec.js`)];
const splitting = (overrides: Partial<Splitting> = {}): Splitting => ({
	when: 'auto',
	slots: 4,
	expected: new Map(files.map(file => [file, file === 'big.spec.js' ? 8500 : 500])),
	tests: {'big.spec.js': tests(8, 1000), 'small0.spec.js': tests(2, 200)},
	unit: () => byName,
	...overrides,
});

test('auto: a file longer than its share of the run (all the time over the slots) runs as parts, each test in exactly one', () => {
	const tasks = splitFiles(files, splitting());
	const parts = tasks.filter(task => task.file === 'big.spec.js');
	// 12.5 s over 4 slots is a share of 3.1 s: 8.5 s is three shares.
	assert.deepEqual(parts.map(task => task.part).sort((a, b) => a!.index - b!.index), [1, 2, 3].map(index => ({index, count: 3})), 'three parts');
	const all = tests(8, 1000).map(test => test.name);
	const ran = ranBy(tasks, 'big.spec.js', [...all, 'new-test']);
	assert.deepEqual(ran.flat().sort(), [...all, 'new-test'].sort(), 'every test once, the new one too');
	assert.equal(parts.filter(task => task.selection && 'except' in task.selection).length, 1, 'one part takes the tests no run named');
	assert.deepEqual(ran.map(names => names.filter(name => name !== 'new-test').length).sort(), [2, 3, 3], 'balanced by time');
	assert.deepEqual(tasks.filter(task => task.file !== 'big.spec.js').map(task => task.part), Array.from({length: 8}, () => undefined), 'the small files whole');
	assert.deepEqual(tasks.slice(0, 3).map(task => task.file), ['big.spec.js', 'big.spec.js', 'big.spec.js'], 'the parts (3.5 s, 3.5 s, 2.5 s) go first');
});

test('no split when off, without a framework that picks tests, without timings, on one slot, or for a file whose tests are not known', () => {
	const whole = (tasks: Task[]) => tasks.every(task => task.part === undefined && task.selection === undefined) && tasks.length === files.length;
	assert.ok(whole(splitFiles(files, splitting({when: 'off'}))));
	assert.ok(whole(splitFiles(files, splitting({unit: undefined}))));
	assert.ok(whole(splitFiles(files, splitting({expected: undefined}))));
	assert.ok(whole(splitFiles(files, splitting({slots: 1}))));
	assert.ok(whole(splitFiles(files, splitting({tests: {}}))));
	assert.ok(whole(splitFiles(files, splitting({tests: {'big.spec.js': tests(1, 8000)}}))), 'one test is no split');
});

test('--split SECONDS: a file over that many runs as parts of about that time, never more than the slots or its tests', () => {
	const parts = (aboveMs: number, slots = 4) => splitFiles(files, splitting({when: {aboveMs}, slots})).filter(task => task.file === 'big.spec.js').length;
	assert.equal(parts(9000), 1, 'under the threshold: whole');
	assert.equal(parts(4000), 3, '8.5 s over 4 s: three parts');
	assert.equal(parts(1000), 4, 'as many as the slots');
	assert.equal(parts(1000, 16), 8, 'as many as its tests');
	assert.equal(splitFiles(files, splitting({when: {aboveMs: 400}})).filter(task => task.file === 'small0.spec.js').length, 2, 'a small file over a low threshold too');
});

test('auto splits a file into the parts that end the run soonest, and leaves it whole when a part would have less than a second of tests', () => {
	const short = splitting({
		expected: new Map(files.map(file => [file, file === 'big.spec.js' ? 3000 : 100])),
		tests: {'big.spec.js': tests(4, 5)},
	});
	assert.equal(splitFiles(files, short).filter(task => task.file === 'big.spec.js').length, 1, '20 ms of tests in a 3 s file: whole');
	assert.equal(splitFiles(files, {...short, when: {aboveMs: 1000}}).filter(task => task.file === 'big.spec.js').length, 3, 'an explicit threshold splits it all the same');
	const costly = splitting({
		expected: new Map(files.map(file => [file, file === 'big.spec.js' ? 12_000 : 500])),
		tests: {'big.spec.js': tests(8, 1000)},
	});
	// Whole: 12 s. Two parts: 8 s. Three: 7 s (4 + 3). Four: 6 s each, but 28 s of work over 4 slots is 7 s: no sooner, so three.
	assert.equal(splitFiles(files, costly).filter(task => task.file === 'big.spec.js').length, 3, 'the parts that end the run soonest, the fewest of a tie');
});
