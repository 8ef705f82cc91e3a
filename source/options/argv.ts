import {existsSync} from 'node:fs';
import path from 'node:path';
import meow from 'meow';
import picomatch from 'picomatch';
import {BaleenError} from '../errors.js';
import {closest} from '../config/suggest.js';
import {presetHelp} from '../frameworks/help.js';
import {frameworkNamed, frameworkNames, unknownFramework} from '../frameworks/registry.js';
import {camelCase, flagDeclarations} from './table.js';
import {helpText, reproHelp} from './help.js';
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

/** The command line up to its first `--`, and the arguments after it, which go to the framework as they are. */
export function splitAtDashes(argv: readonly string[]): {own: string[]; passed: string[]} {
	const at = argv.indexOf('--');
	return at === -1 ? {own: [...argv], passed: []} : {own: argv.slice(0, at), passed: argv.slice(at + 1)};
}

/** The words that name baleen's own commands, never a framework. */
const commands = new Set(['clean', 'timings']);

/**
Whether the first word is a framework's name misspelt rather than a pattern: no framework, no command,
nothing in `cwd` by that name, no glob, no folder or dot in it, and close to a framework's name.
*/
export function misspeltFramework(word: string, cwd: string): string | undefined {
	// A word of three letters or more: `-` (the files from stdin) and `do` are no misspelt `go`.
	const plain = /^[a-z][\w-]{2,}$/i.test(word) && !picomatch.scan(word).isGlob;
	return plain && !commands.has(word) && !frameworkNamed(word) && !existsSync(path.resolve(cwd, word)) && closest(word, frameworkNames)
		? unknownFramework(word)
		: undefined;
}

/**
The framework the first word names (`baleen cucumber …`), checked against `--framework`; the rest of
the words are the patterns, with `--files`' after them.
*/
export function frameworkWord(input: readonly string[], flags: Flags, cwd: string): {input: string[]; flags: Flags} {
	const [first, ...rest] = input;
	const files = (flags['files'] as string[] | undefined) ?? [];
	const misspelt = first === undefined ? undefined : misspeltFramework(first, cwd);
	if (misspelt) {
		throw new BaleenError(misspelt);
	}

	if (first === undefined || !frameworkNamed(first)) {
		return {input: [...input, ...files], flags};
	}

	if (flags.framework !== undefined && flags.framework !== first) {
		throw new BaleenError(`${first} and --framework ${String(flags.framework)} name two frameworks; give one`);
	}

	return {input: [...rest, ...files], flags: {...flags, framework: first}};
}

/** The command line, parsed by the table; `--help` and `--version` print and exit, `baleen FRAMEWORK --help` the preset's. */
export function commandLine(argv: readonly string[] = process.argv.slice(2), cwd: string = process.cwd()): {input: string[]; flags: Flags} {
	const {own, passed} = splitAtDashes(argv);
	const preset = own[0] === undefined ? undefined : frameworkNamed(own[0]);
	if (preset && own.includes('--help')) {
		process.stdout.write(presetHelp(preset));
		process.exit(0);
	}

	if (own[0] === 'repro' && own.includes('--help')) {
		process.stdout.write(reproHelp);
		process.exit(0);
	}

	const cli = meow(helpText, {
		importMeta: import.meta,
		argv: withValuesOfLoneFlags(own),
		allowUnknownFlags: true,
		// Absent booleans stay undefined, so that only a given --no-find-in-image overrides the config file.
		booleanDefault: undefined,
		flags: parserFlags,
	});
	checkFlags(cli.unnormalizedFlags);
	const flags = {...cli.flags as Flags, ...(passed.length > 0 && {args: passed})};
	return frameworkWord(cli.input, flags, cwd);
}
