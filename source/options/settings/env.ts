import {z} from 'zod';
import {BaleenError} from '../../errors.js';
import {option} from '../declaration.js';

const name = /^[A-Za-z_]\w*$/;
const entryExpected = 'expected KEY=VALUE or KEY';

/** `KEY=VALUE` as it is; `KEY` alone takes the host's value, which must be set. */
export function withHostValue(entry: string, host: NodeJS.ProcessEnv = process.env): string {
	if (entry.includes('=')) {
		return entry;
	}

	const value = host[entry];
	if (value === undefined) {
		throw new BaleenError(`--env ${entry} passes the host's value, but ${entry} is not set here; write ${entry}=VALUE`);
	}

	return `${entry}=${value}`;
}

/** `-e KEY=VALUE`, repeatable; in baleen.yml a list of those, or a map of KEY: value. */
export const env = option({
	name: 'env',
	short: 'e',
	type: 'string',
	multiple: true,
	help: 'KEY=VALUE set in every container, or KEY to pass the host\'s value (repeatable)',
	section: 'Options',
	schema: z.union([
		z.array(z.string({error: entryExpected}).regex(/^[A-Za-z_]\w*(=.*)?$/s, {error: entryExpected})),
		z.record(
			z.string().regex(name, {error: 'expected a variable name'}),
			z.union([z.string(), z.number(), z.boolean()], {error: 'expected text, a number or true/false'}),
		).transform(map => Object.entries(map).map(([key, value]) => `${key}=${String(value)}`)),
	], {error: 'expected a list of KEY=VALUE (or KEY) entries, or a map of KEY: value'}).default(() => []),
	merge: {key: entry => entry.split('=')[0]!, meaning: entry => withHostValue(entry)},
});
