import meow from 'meow';
import {BaleenError} from '../errors.js';
import {closest} from '../config/suggest.js';
import {camelCase, flagDeclarations} from './table.js';
import {helpText} from './help.js';
import type {Flags} from './resolve.js';

type FlagSpec = {type: 'string' | 'boolean'; shortFlag?: string; isMultiple?: boolean};

/** The flag parser's (meow's) view of the table: camel-cased names, types, short forms, repeatable ones. */
export const parserFlags: Record<string, FlagSpec> = Object.fromEntries(flagDeclarations.map(({name, type, short, multiple}) => [
	camelCase(name),
	{type, ...(short && {shortFlag: short}), ...(multiple && {isMultiple: true})},
]));

const kebab = (name: string) => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

/** The flags a user gave that none of ours are, spelled as given: `--bogus`, `-x`. */
export function unknownFlags(given: Record<string, unknown>, known: Record<string, {type: string; shortFlag?: string}> = parserFlags): string[] {
	const names = new Set(['help', 'version']);
	for (const [name, {shortFlag}] of Object.entries(known)) {
		names.add(name).add(kebab(name));
		if (shortFlag) {
			names.add(shortFlag);
		}
	}

	// The parser files `--some-flag` under `someFlag` too: report each once, as typed.
	const unknown = new Set(Object.keys(given).filter(name => !names.has(name)).map(name => kebab(name)));
	return [...unknown].map(name => (name.length === 1 ? `-${name}` : `--${name}`));
}

/** Fails on the first unknown flag, with the one it most likely means. */
export function checkFlags(given: Record<string, unknown>): void {
	const [unknown] = unknownFlags(given);
	if (unknown) {
		const guess = unknown.startsWith('--') ? closest(unknown.slice(2), flagDeclarations.map(({name}) => name)) : undefined;
		throw new BaleenError(`unknown flag ${unknown}${guess ? ` (did you mean --${guess}?)` : ''}; see baleen --help`);
	}
}

/** `--bail` alone becomes `--bail=1`, so that `--bail '*.sh'` does not take the pattern for its value. */
export function withValuesOfLoneFlags(argv: readonly string[]): string[] {
	return argv.map((argument, index) => {
		const alone = flagDeclarations.find(({name}) => argument === `--${name}`)?.alone;
		const next = argv[index + 1];
		return alone && (next === undefined || !alone.takes.test(next)) ? `${argument}=${alone.means}` : argument;
	});
}

/** The command line, parsed by the table; `--help` and `--version` print and exit. */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): {input: string[]; flags: Flags} {
	const cli = meow(helpText, {
		importMeta: import.meta,
		argv: withValuesOfLoneFlags(argv),
		allowUnknownFlags: true,
		// Absent booleans stay undefined, so that only a given --no-find-in-image overrides the config file.
		booleanDefault: undefined,
		flags: parserFlags,
	});
	checkFlags(cli.unnormalizedFlags);
	return {input: cli.input, flags: cli.flags as Flags};
}
