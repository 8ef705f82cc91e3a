import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {execFile, execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, describe, test} from 'node:test';
import {script} from '../../source/command.js';
import type {TestCase} from '../../source/events.js';
import type {Selection} from '../../source/frameworks/framework.js';
import {presetCommand} from '../../source/frameworks/preset.js';
import {frameworks} from '../../source/frameworks/registry.js';
import {resultsReader} from '../../source/results/registry.js';
import {folder} from '../helpers/folder.js';
import {frameworksFolder, readExpected} from '../helpers/framework-suites.js';

// Each framework's split, on its fixture suite in its image: the tests its own report lists are exactly
// the ones a selection names (`only`) or leaves (`except`), each once, the metacharacter names among them.

const label = `baleen.test=framework-filters-${randomUUID()}`;

after(() => {
	const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=${label}`], {encoding: 'utf8'}).split('\n').filter(Boolean);
	if (left.length > 0) {
		execFileSync('docker', ['rm', '-f', ...left], {stdio: 'ignore'});
	}
});

/** Where each suite runs, and its program there (a `.bin` script runs as it is in baleen-test-node). */
const suites = {
	cucumber: {image: 'baleen-test-node', program: ['../node_modules/.bin/cucumber-js']},
	mocha: {image: 'baleen-test-node', program: ['../node_modules/.bin/mocha']},
	pytest: {image: 'baleen-test-pytest', program: ['pytest']},
	rspec: {image: 'baleen-test-rspec', program: ['rspec']},
	go: {image: 'baleen-test-go', program: ['go']},
} as const;

type Name = keyof typeof suites;

/** A renamed test: named by the timings, gone from the file. */
const gone = 'a test renamed since the timings (x|y)?';

/** What a selection runs: these units' tests, or (pytest's node id that is gone) a usage error and none; the parts of one `partition` run each test once. */
type Case = {selection: Selection; runs: readonly string[] | 'usage error'; partition?: number};

/**
The selections checked on a file of these units (the file whole is run first, for them): each unit
alone, and (`exceptEach`) all but it; a partition (some, and all but those); one whose parts name a test
that is gone and leave out one that is new since the timings; all but every unit.
*/
function cases(units: readonly string[], unknownFails: boolean, exceptEach: boolean): Case[] {
	const but = (names: readonly string[]) => units.filter(unit => !names.includes(unit));
	const some = units.slice(0, Math.ceil(units.length / 2));
	// The last unit is named nowhere: the tests the timings do not know.
	const known = units.slice(0, -1);
	return [
		...units.map(unit => ({selection: {only: [unit]}, runs: [unit]})),
		...(exceptEach ? units.map(unit => ({selection: {except: [unit]}, runs: but([unit])})) : []),
		{selection: {only: some}, runs: some, partition: 1},
		{selection: {except: some}, runs: but(some), partition: 1},
		{selection: {only: [...known, gone]}, runs: unknownFails ? 'usage error' : known, partition: 2},
		{selection: {except: [...known, gone]}, runs: but(known), partition: 2},
		{selection: {except: units}, runs: []},
	];
}

type Outcome = {code: number; tests: TestCase[] | undefined; output: string};

const execFileAsync = promisify(execFile);

/** Runs each selection of a file in one container, one after the other, each with its own report. */
async function runAll(name: Name, file: string, selections: ReadonlyArray<Selection | undefined>, mounts: readonly string[] = []): Promise<Outcome[]> {
	const framework = frameworks[name];
	const {image, program} = suites[name];
	const reports = mkdtempSync(path.join(tmpdir(), `baleen-filters-${name}-`));
	const each = selections.map((selection, index) => `(\n${script(presetCommand(framework, program, `/report/${index}`, selection))}\n) > /report/${index}.out 2>&1; echo "$?" > /report/${index}.code`);
	try {
		await execFileAsync('docker', [
			'run', '--rm', '--label', label, '-v', `${frameworksFolder}:/frameworks:ro`, '-v', `${reports}:/report`, ...mounts.flatMap(mount => ['-v', mount]), '-w', `/frameworks/${name}`,
			image, '/bin/sh', '-c', each.join('\n'), 'sh', file,
		], {encoding: 'utf8', timeout: 240_000});
		return selections.map((_, index) => {
			const at = (suffix: string) => path.join(reports, `${index}${suffix}`);
			const output = readFileSync(at('.out'), 'utf8');
			let text: string | undefined;
			try {
				text = readFileSync(at(''), 'utf8');
			} catch {
				text = undefined;
			}

			const read = text === undefined ? undefined : resultsReader(framework.results.format).read(text, at(''));
			assert.ok(read === undefined || !('problem' in read), `${name} ${file}: ${read && 'problem' in read ? read.problem : ''}\n${output}`);
			return {code: Number(readFileSync(at('.code'), 'utf8')), tests: read as TestCase[] | undefined, output};
		});
	} finally {
		rmSync(reports, {recursive: true, force: true});
	}
}

/** The tests, named with their outcomes, in one order: go's reader lists a test where it starts, EXPECTED.json where it ends. */
const listed = (tests: ReadonlyArray<Pick<TestCase, 'name' | 'status'>>) => tests.map(({name, status}) => `${name}: ${status}`).sort();

/**
Runs the file whole, then each selection of `cases` over the units of the tests its report lists (our
reader gives the classname a unit needs, which EXPECTED.json does not have): each lists exactly its tests,
and exits 0 when none of them fails. Gives the whole file's run.
*/
async function checkSelections(name: Name, file: string, {mounts = [], exceptEach = true}: {mounts?: readonly string[]; exceptEach?: boolean} = {}): Promise<Outcome> {
	const split = frameworks[name].split!;
	const [whole] = await runAll(name, file, [undefined], mounts);
	const all = whole!.tests ?? [];
	const units = [...new Set(all.map(test => split.unit(test, file)))];
	const checked = cases(units, name === 'pytest', exceptEach);
	const outcomes = await runAll(name, file, checked.map(({selection}) => selection), mounts);
	for (const [index, {selection, runs}] of checked.entries()) {
		const {code, tests, output} = outcomes[index]!;
		const what = `${name} ${file}, ${JSON.stringify(selection)}:\n${output}`;
		if (runs === 'usage error') {
			assert.equal(code, 4, what);
			assert.deepEqual(tests ?? [], [], what);
			continue;
		}

		const ran = listed(tests ?? []);
		assert.deepEqual(ran, listed(all.filter(test => runs.includes(split.unit(test, file)))), what);
		assert.equal(code === 0, !ran.some(test => test.endsWith(': failed')), `${what}\nexit ${code}`);
	}

	// Over a partition whose parts all ran (pytest's part with a gone name falls back to the file whole), each test once.
	for (const partition of new Set(checked.map(({partition}) => partition).filter(Boolean))) {
		const parts = [...checked.entries()].filter(([, part]) => part.partition === partition);
		if (parts.every(([, {runs}]) => runs !== 'usage error')) {
			assert.deepEqual(listed(parts.flatMap(([index]) => outcomes[index]!.tests ?? [])), listed(all), `${name} ${file}: partition ${partition}`);
		}
	}

	return whole!;
}

describe('each framework\'s filters pick exactly the tests a selection names, each once, on its suite in its image', {concurrency: 6}, () => {
	for (const name of Object.keys(suites) as Name[]) {
		test(name, async () => {
			await Promise.all(Object.entries(readExpected(name).files).map(async ([key, {status, tests}]) => {
				const file = name === 'go' ? key.replace(/^\.\//, '') : key;
				const whole = await checkSelections(name, file);
				assert.deepEqual(listed(whole.tests ?? []), listed(tests), `${name} ${file}: the whole file as EXPECTED.json has it\n${whole.output}`);
				assert.equal(whole.code === 0, status === 'passed');
			}));
		});
	}

	test('cucumber: the rows of scenario outlines, named or not, with parameters in the name or not, and the scenarios of Rules', async () => {
		const outlines = folder({
			'outline.feature': [
				'Feature: Outlines', '  Scenario Outline: eats <n>', '    Given row <n>', '    Examples: small', '      | n |', '      | 1 |', '      | 2 |',
				'    Examples:', '      | n |', '      | 3 |', '  Rule: r - x', '    Scenario Outline: plain', '      Given row <n>', '      Examples:', '        | n |', '        | 4 |', '        | 5 |',
				'    Scenario: plain', '      Given row 6', '',
			].join('\n'),
			// The support code beside the feature is what cucumber-js loads for it; its own cucumber is the suites'.
			'steps.js': 'const {Given} = require(\'/frameworks/node_modules/@cucumber/cucumber\');\nGiven(\'row {int}\', n => { if (n === 5) throw new Error(\'five\'); });\n',
		});
		// Each scenario alone, not all but each: the suites' files check those, and this file has six.
		const whole = await checkSelections('cucumber', '/outlines/outline.feature', {mounts: [`${outlines}:/outlines:ro`], exceptEach: false});
		assert.deepEqual(listed(whole.tests ?? []), [
			'eats <n> - #2.1: eats 3: passed', 'eats <n> - small - #1.1: eats 1: passed', 'eats <n> - small - #1.2: eats 2: passed',
			'r - x - plain - #1.1: passed', 'r - x - plain - #1.2: failed', 'r - x - plain: passed',
		]);
	});
});

test('the names with regular expressions\' metacharacters are among those checked', () => {
	const units = Object.fromEntries((Object.keys(suites) as Name[]).map(name => [name, Object.values(readExpected(name).files).flatMap(({tests}) => tests.map(({name}) => name))]));
	assert.ok(units.cucumber!.includes('adds (1+1) [twice]?'));
	assert.ok(units.mocha!.includes('adds (1+1) [twice]?'));
	assert.ok(units.rspec!.includes('adds (1+1) [twice]?'));
	assert.ok(units.pytest!.includes('test_squares[2-4]'));
	assert.ok(units.go!.includes('TestDivision/halves_(an_even)_number?'));
});
