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

/** What a selection runs: these units' tests, or (pytest's node id that is gone) a usage error and none. */
type Case = {selection: Selection | undefined; runs: readonly string[] | 'usage error'};

/**
The selections checked on a file of these units: the file whole; each unit alone, and all but it; a
partition (some, and all but those); names that are gone beside a unit left out (new since the timings);
all but every unit.
*/
function cases(units: readonly string[], unknownFails: boolean): Case[] {
	const but = (names: readonly string[]) => units.filter(unit => !names.includes(unit));
	const some = units.slice(0, Math.ceil(units.length / 2));
	// The last unit is named nowhere: the tests the timings do not know.
	const known = units.slice(0, -1);
	const [first = gone] = units;
	return [
		{selection: undefined, runs: units},
		...units.flatMap(unit => [{selection: {only: [unit]}, runs: [unit]}, {selection: {except: [unit]}, runs: but([unit])}]),
		{selection: {only: some}, runs: some},
		{selection: {except: some}, runs: but(some)},
		{selection: {only: [first, gone]}, runs: unknownFails ? 'usage error' : [first]},
		{selection: {except: [...known.slice(1), gone]}, runs: but(known.slice(1))},
		{selection: {except: units}, runs: []},
	];
}

type Outcome = {code: number; tests: TestCase[] | undefined; output: string};

const execFileAsync = promisify(execFile);

/** Runs each selection of a file in one container, one after the other, each with its own report. */
async function runAll(name: Name, file: string, selections: ReadonlyArray<Selection | undefined>): Promise<Outcome[]> {
	const framework = frameworks[name];
	const {image, program} = suites[name];
	const reports = mkdtempSync(path.join(tmpdir(), `baleen-filters-${name}-`));
	const each = selections.map((selection, index) => `(\n${script(presetCommand(framework, program, `/report/${index}`, selection))}\n) > /report/${index}.out 2>&1; echo "$?" > /report/${index}.code`);
	try {
		await execFileAsync('docker', [
			'run', '--rm', '--label', label, '-v', `${frameworksFolder}:/frameworks:ro`, '-v', `${reports}:/report`, '-w', `/frameworks/${name}`,
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

const shown = (selection: Selection | undefined) => (selection === undefined ? 'the whole file' : JSON.stringify(selection));

describe('each framework\'s filters pick exactly the tests a selection names, each once, on its suite in its image', {concurrency: 5}, () => {
	for (const name of Object.keys(suites) as Name[]) {
		test(name, async () => {
			const framework = frameworks[name];
			const split = framework.split!;
			const expected = readExpected(name);
			await Promise.all(Object.entries(expected.files).map(async ([key, {status, tests: reported}]) => {
				const file = name === 'go' ? key.replace(/^\.\//, '') : key;
				// The units come from the whole file's report, read by our reader (the classname a unit needs is not in EXPECTED.json).
				const [whole] = await runAll(name, file, [undefined]);
				// In any order: go's reader lists a test where it starts, EXPECTED.json where it ends.
				const listed = (tests: ReadonlyArray<Pick<TestCase, 'name' | 'status'>>) => tests.map(({name, status}) => `${name}: ${status}`).sort();
				assert.deepEqual(listed(whole!.tests ?? []), listed(reported), `${name} ${file}: the whole file as EXPECTED.json has it\n${whole!.output}`);
				assert.equal(whole!.code === 0, status === 'passed');
				const all = whole!.tests!;
				const units = [...new Set(all.map(test => split.unit(test, file)))];
				const checked = cases(units, name === 'pytest');
				const outcomes = await runAll(name, file, checked.map(({selection}) => selection));
				for (const [index, {selection, runs}] of checked.entries()) {
					const {code, tests, output} = outcomes[index]!;
					const what = `${name} ${file}, ${shown(selection)}:\n${output}`;
					if (runs === 'usage error') {
						assert.equal(code, 4, what);
						assert.deepEqual(tests ?? [], [], what);
						continue;
					}

					const ran = listed(tests ?? []);
					assert.deepEqual(ran, listed(all.filter(test => runs.includes(split.unit(test, file)))), what);
					assert.equal(code === 0, !ran.some(test => test.endsWith(': failed')), `${what}\nexit ${code}`);
				}
			}));
		});
	}
});

test('the names with regular expressions\' metacharacters are among those checked', () => {
	const units = Object.fromEntries((Object.keys(suites) as Name[]).map(name => [name, Object.values(readExpected(name).files).flatMap(({tests}) => tests.map(({name}) => name))]));
	assert.ok(units.cucumber!.includes('adds (1+1) [twice]?'));
	assert.ok(units.mocha!.includes('adds (1+1) [twice]?'));
	assert.ok(units.rspec!.includes('adds (1+1) [twice]?'));
	assert.ok(units.pytest!.includes('test_squares[2-4]'));
	assert.ok(units.go!.includes('TestDivision/halves_(an_even)_number?'));
});
