import path from 'node:path';
import {z} from 'zod';

/** A flag's text as a number when it reads as one (`-j 4`), as it is otherwise, for the schema to refuse in its own words. */
export function numberFromText(text: string): number | string {
	const number = Number(text);
	return text.trim() !== '' && Number.isFinite(number) ? number : text;
}

/** A whole number of at least `least`; `expected` is what a wrong value is told. */
export const wholeNumber = (expected: string, least: number) => z.int({error: expected}).min(least, {error: expected});

/** Text that is not blank. */
export const text = (expected: string) => z.string({error: expected}).regex(/\S/, {error: expected});

/** One item or a list of them, as a list: `patterns: '*.sh'` is `patterns: ['*.sh']`. */
export const oneOrMore = <Item extends z.ZodType>(item: Item, expected: string) => z.union([item.transform(one => [one]), z.array(item)], {error: expected});

/** Globs of files. */
export const globs = oneOrMore(z.string({error: 'expected a glob'}).min(1, {error: 'expected a glob'}), 'expected a glob or a list of globs');

/** A path on the host, relative to where it was written. */
export const fromBase = (value: string | undefined, base: string) => value && path.resolve(base, value);
