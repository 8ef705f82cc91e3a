import {z} from 'zod';
import type {TestCase} from '../events.js';
import {readJson} from './json.js';
import type {ResultsReader} from './reader.js';
import {firstLine, milliseconds, told} from './told.js';

const example = z.object({
	description: z.string(),
	/** The describes and contexts, then the description, joined by spaces. */
	full_description: z.string().optional(),
	file_path: z.string().optional(),
	/** `passed`, `failed` or `pending` (skipped, or not written yet). */
	status: z.string(),
	run_time: z.number().nullish(),
	pending_message: z.string().nullish(),
	exception: z.object({
		class: z.string().optional(),
		message: z.string().optional(),
		backtrace: z.array(z.string()).nullish(),
	}).nullish(),
});

const report = z.object({
	examples: z.array(example),
	/** What rspec said outside any example: why a spec file did not load. */
	messages: z.array(z.string()).optional(),
	summary: z.object({errors_outside_of_examples_count: z.number().optional()}).optional(),
});

/** The describes and contexts around an example: its full description without its own. */
function context({description, full_description: full}: z.output<typeof example>): string | undefined {
	return full?.endsWith(` ${description}`) ? full.slice(0, -description.length - 1) : undefined;
}

function testcase(found: z.output<typeof example>): TestCase {
	const classname = context(found) ?? found.file_path;
	const timeMs = milliseconds(found.run_time);
	const base = {name: found.description, ...(classname && {classname}), ...(timeMs !== undefined && {timeMs})};
	if (found.status === 'failed') {
		const {class: kind, message = '', backtrace} = found.exception ?? {};
		const details = [[kind, message.trim()].filter(Boolean).join(': '), ...(backtrace ?? [])].join('\n');
		return {...base, status: 'failed', ...told(message, details)};
	}

	if (found.status === 'passed') {
		return {...base, status: 'passed'};
	}

	return {...base, status: 'skipped', ...told(found.pending_message ?? undefined, undefined)};
}

/** An error outside any example (a spec file that does not load) is one test in `error`, so that it does not vanish. */
function outsideExamples({messages = [], summary}: z.output<typeof report>): TestCase[] {
	const count = summary?.errors_outside_of_examples_count ?? 0;
	if (count === 0) {
		return [];
	}

	const details = messages.filter(message => message.trim() !== 'No examples found.').join('\n\n');
	return [{name: count === 1 ? 'error outside of examples' : `${count} errors outside of examples`, status: 'error', ...told(firstLine(details), details)}];
}

/** rspec's `--format json --out FILE`: each example, its describes and contexts as the classname. */
function read(text: string, path: string): TestCase[] | {problem: string} {
	const read = readJson(text, path, report, 'an rspec --format json report');
	if ('problem' in read) {
		return read;
	}

	return [...read.report.examples.map(found => testcase(found)), ...outsideExamples(read.report)];
}

export const rspecJsonReader: ResultsReader = {from: 'file', keptAs: 'results.rspec.json', read};
