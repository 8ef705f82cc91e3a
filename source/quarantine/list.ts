import path from 'node:path';
import {readFileSync} from 'node:fs';
import {parseDocument} from 'yaml';
import {z} from 'zod';
import {BaleenError} from '../errors.js';
import type {QuarantineEntry} from '../events.js';

/**
The quarantine list: known-flaky tests (or whole files) that still run and are reported, but whose
failures do not fail the run, each with why, whose it is and, optionally, until when.
*/
export type QuarantineList = {
	/** The file it was read from, as the run shows it. */
	file: string;
	entries: QuarantineEntry[];
};

/** The list a project keeps when none is named: `.baleen/quarantine.yml` in `base`, where the history is kept too. */
export const defaultQuarantineFile = (base: string) => path.join(base, '.baleen', 'quarantine.yml');

const words = (expected: string) => z.string({error: issue => (issue.input === undefined ? 'is missing' : expected)}).regex(/\S/, {error: expected});

/** `2027-01-31`: a day of the calendar, as YAML 1.2 reads an unquoted one (text) or YAML 1.1 did (a date). */
const dayExpected = 'expected a date, e.g. 2027-01-31';
const day = z.preprocess(
	value => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
	z.string({error: dayExpected}).refine(text => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {error: dayExpected}),
);

const entryShape = {
	test: words('expected a test\'s name, as its framework\'s report gives it').optional(),
	file: words('expected a file\'s path or a glob').optional(),
	reason: words('expected why it is quarantined'),
	owner: words('expected who owns it, e.g. "@alice"'),
	expires: day.optional(),
};

const entrySchema = z.strictObject(entryShape, {error: 'expected an entry with test or file, reason and owner'})
	.refine(entry => entry.test !== undefined || entry.file !== undefined, {error: 'names neither a test nor a file; give test:, file: or both'});

const listSchema = z.array(entrySchema, {error: 'expected a list of entries (- test: …)'});

function problem(issue: z.core.$ZodIssue): string {
	const [index, key] = issue.path;
	const entry = typeof index === 'number' ? `entry ${index + 1}: ` : '';
	if (issue.code === 'unrecognized_keys') {
		return `${entry}unknown key "${issue.keys[0]!}"; expected ${Object.keys(entryShape).join(', ')}`;
	}

	return `${entry}${key === undefined ? '' : `${String(key)}: `}${issue.message}`;
}

/** The entries a list's text holds; an empty file holds none. A wrong entry is a `BaleenError` naming the file, the entry (from 1) and what is wrong. */
export function parseQuarantine(text: string, shown: string): QuarantineEntry[] {
	const document = parseDocument(text, {uniqueKeys: true, prettyErrors: false});
	const [error] = document.errors;
	if (error) {
		throw new BaleenError(`${shown}: not valid YAML: ${error.message.split('\n')[0]!}`);
	}

	const data: unknown = document.toJS();
	const result = listSchema.safeParse(data ?? []);
	if (!result.success) {
		throw new BaleenError(`${shown}: ${problem(result.error.issues[0]!)}`);
	}

	return result.data.map(({test, file, reason, owner, expires}) => ({
		...(test !== undefined && {test}),
		...(file !== undefined && {file}),
		reason,
		owner,
		...(expires !== undefined && {expires}),
	}));
}

/**
The list in `file` (`shown` so in what is said of it): none when the file is missing and was not `named` (the default one), a `BaleenError`
when it was named and is missing, or when it cannot be read or holds a wrong entry.
*/
export function readQuarantine(file: string, named: boolean, shown: string = file): QuarantineList | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
		if (missing && !named) {
			return undefined;
		}

		throw new BaleenError(`cannot read the quarantine list ${shown}: ${missing ? 'there is no such file' : (error as Error).message}`);
	}

	return {file: shown, entries: parseQuarantine(text, shown)};
}
