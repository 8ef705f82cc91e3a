import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import type {TestCase} from '../../source/events.js';
import {resultsReader, type ResultsFormat} from '../../source/results/registry.js';

const reports = path.join(import.meta.dirname, '../fixtures/reports');

/** The text of a report a real framework wrote (test/fixtures/reports/). */
export const reportText = (file: string) => readFileSync(path.join(reports, file), 'utf8');

/** A report a real framework wrote, read by the reader of `format`: its tests, or the test fails. */
export function readReport(format: ResultsFormat, file: string): TestCase[] {
	const read = resultsReader(format).read(reportText(file), file);
	assert.ok(!('problem' in read), 'problem' in read ? read.problem : '');
	return read;
}

/** Each test in one line, `status classname › name`, to compare a whole report at a glance. */
export const outline = (tests: readonly TestCase[]) => tests.map(({status, classname, name}) => `${status} ${[classname, name].filter(Boolean).join(' › ')}`);

/** The test of that name; the test fails when there is none. */
export function named(tests: readonly TestCase[], name: string): TestCase {
	const found = tests.find(test => test.name === name);
	assert.ok(found, `no test named ${name} in ${tests.map(test => test.name).join(', ')}`);
	return found;
}

/** The suite of `math.test.js` (test/fixtures/reports/<framework>/suite/) as a reader tells it when the framework gives its describes apart (node's suites, jest's ancestorTitles). */
export const mathSuite = [
	'passed math › adds (1+1) [twice]?',
	'failed math › subtracts wrongly',
	'skipped math › divides by zero',
	'skipped math › is not written yet',
	'passed math › nested › prints output',
	'failed math › nested › throws an error',
	'passed top-level passes',
];
