import {existsSync} from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import {BaleenError} from '../../errors.js';
import {option} from '../declaration.js';
import {oneOrMore} from './kinds.js';

const expected = 'expected SRC:DST[:ro] with an absolute DST';

/** `SRC:DST[:ro|rw]`: a source, an absolute target, and maybe a mode. */
function isMount(entry: string): boolean {
	const parts = entry.split(':');
	const [source = '', target = '', mode] = parts;
	return parts.length >= 2 && parts.length <= 3 && source !== '' && target.startsWith('/') && (mode === undefined || mode === 'ro' || mode === 'rw');
}

/** Docker's bind form, with the source made absolute (from where the mount was written) and checked to exist. */
export function bindOf(entry: string, base: string): string {
	const [source = '', ...rest] = entry.split(':');
	const absolute = path.resolve(base, source);
	if (!existsSync(absolute)) {
		throw new BaleenError(`--mount source "${source}" does not exist (looked at ${absolute})`);
	}

	return [absolute, ...rest].join(':');
}

/** `-m SRC:DST[:ro]`, repeatable; a mount replaces one of an earlier layer with the same target. */
export const mount = option({
	name: 'mount',
	short: 'm',
	type: 'string',
	multiple: true,
	help: 'SRC:DST[:ro] bind mount; a relative SRC is taken from here (repeatable)',
	section: 'Options',
	schema: oneOrMore(z.string({error: expected}).refine(isMount, {error: expected}), 'expected SRC:DST[:ro] with an absolute DST, or a list of them').default(() => []),
	merge: {key: entry => entry.split(':')[1]!, meaning: bindOf},
});
