import {stripVTControlCharacters} from 'node:util';
import {z} from 'zod';
import type {TestCase} from '../events.js';
import {readJson} from './json.js';
import type {ResultsReader} from './reader.js';
import {firstLine, told} from './told.js';

const assertion = z.object({
	title: z.string(),
	ancestorTitles: z.array(z.string()).default([]),
	/** `passed`, `failed`, or one of the ways of not running: `pending` (skipped), `todo`, `skipped`, `disabled`. */
	status: z.string(),
	duration: z.number().nullish(),
	failureMessages: z.array(z.string()).nullish(),
});

const file = z.object({
	assertionResults: z.array(assertion),
	status: z.string().optional(),
	/** Why the file failed, for every failed test and for what failed outside them ("Test suite failed to run"). */
	message: z.string().optional(),
});

const report = z.object({testResults: z.array(file)});

const plain = (text: string) => stripVTControlCharacters(text);

function testcase({title, ancestorTitles, status, duration, failureMessages}: z.output<typeof assertion>): TestCase {
	const classname = ancestorTitles.join(' › ');
	const base = {name: title, ...(classname && {classname}), ...(typeof duration === 'number' && {timeMs: duration})};
	if (status === 'failed') {
		const details = plain((failureMessages ?? []).join('\n\n'));
		return {...base, status: 'failed', ...told(firstLine(details), details)};
	}

	return {...base, status: status === 'passed' ? 'passed' : 'skipped'};
}

/**
A file that failed with no test failing failed outside its tests (it did not load, an `afterAll` threw):
one test in `error`, named as jest heads it (`● Test suite failed to run`), so that it does not vanish.
*/
function failedOutside({status, message = ''}: z.output<typeof file>, tests: readonly TestCase[]): TestCase[] {
	if (status !== 'failed' || tests.some(test => test.status === 'failed')) {
		return [];
	}

	const [heading, ...rest] = plain(message).trim().split('\n');
	const name = heading?.replace(/^●\s*/, '').trim() || 'Test suite failed to run';
	const body = rest.join('\n');
	return [{name, status: 'error', ...told(firstLine(body), body)}];
}

/** jest's `--json --outputFile FILE`: each file's tests (`testResults[].assertionResults`), a describe path as the classname. */
function read(text: string, path: string): TestCase[] | {problem: string} {
	const read = readJson(text, path, report, 'a jest --json report');
	if ('problem' in read) {
		return read;
	}

	return read.report.testResults.flatMap(result => {
		const tests = result.assertionResults.map(assertion => testcase(assertion));
		return [...tests, ...failedOutside(result, tests)];
	});
}

export const jestJsonReader: ResultsReader = {from: 'file', keptAs: 'results.jest.json', read};
