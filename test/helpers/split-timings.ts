import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {TestTime} from '../../source/plan/split.js';
import {frameworks, frameworksFolder} from './framework-suites.js';
import {folder} from './folder.js';
import {runPreset} from './preset.js';

/** Each file's tests and their times, as tests.json keeps them. */
export type Tests = Record<string, TestTime[]>;

/** The JavaScript suites need the node_modules of the folder above them: that folder is mounted. */
export const rootOf = (image: string) => (image === 'baleen-test-node' ? frameworksFolder : undefined);

/** Each file's tests as a run of the suite told them, from the timings' folder (tests.json). */
export const readTests = (timings: string): Tests => (JSON.parse(readFileSync(path.join(path.dirname(timings), 'tests.json'), 'utf8')) as {projects: {default: Tests}}).projects.default;

/** The mocha suite's tests as a run told them, each timed as `ms` says: `--split 1` splits each file into a part per test, as many as the slots. */
export async function mochaTimed(ms: (file: string) => number) {
	const {image} = frameworks.mocha!;
	const timings = path.join(folder(), 'timings.json');
	const suite = {suite: path.join(frameworksFolder, 'mocha'), image, root: rootOf(image)};
	await runPreset('mocha', {...suite, extra: ['--timings', timings, '--split', 'off']});
	const tests = Object.fromEntries(Object.entries(readTests(timings)).map(([file, cases]) => [file, cases.map(test => ({...test, ms: ms(file)}))]));
	writeFileSync(path.join(path.dirname(timings), 'tests.json'), JSON.stringify({schema: 1, projects: {default: tests}}));
	// Each file a second more than its tests: what a container and mocha's start cost.
	writeFileSync(timings, JSON.stringify({schema: 1, projects: {default: Object.fromEntries(Object.entries(tests).map(([file, cases]) => [file, cases.reduce((sum, test) => sum + test.ms, 1000)]))}}));
	return {suite, timings};
}

