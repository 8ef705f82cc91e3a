import {measured} from './resources/probe.js';

/**
Turns the user's command template into the container's argv so that the file name is data, never code:
the script refers to the file only as "$1", and the path itself travels as that positional argument,
so no shell ever parses it, whatever characters it holds. The arguments after `--` travel the same
way, as the positional arguments after it: `"$@"` once the file is taken off the front.
*/
const fileToken = /(["']?)\{file\}\1/g;
/** Where the arguments after `--` go; without it they go at the end. */
const argsToken = / ?\{args\}/g;

function command(template: string, file: string, args: string): string {
	const withFile = template.includes('{file}') ? template.replace(fileToken, () => file) : `${template} ${file}`;
	if (!args) {
		return withFile.replace(argsToken, '');
	}

	return withFile.includes('{args}') ? withFile.replace(argsToken, () => ` ${args}`) : `${withFile} ${args}`;
}

/** The shell script of a file's container; `withArgs`: more positional arguments follow the file, for the command. */
export function script(template: string, before?: string, withArgs = false): string {
	// With arguments, the file is kept aside and shifted off, so that "$@" is the arguments alone.
	const run = withArgs ? `baleen_file=$1; shift\n${command(template, '"$baleen_file"', '"$@"')}` : command(template, '"$1"', '');
	if (!before?.trim()) {
		return run;
	}

	// The before commands share the shell (a `cd` or an `export` carries over); if they fail, the test does not run.
	return `${before}\nbaleen_status=$?\nif [ "$baleen_status" -ne 0 ]; then echo "baleen: --before failed with exit code $baleen_status" >&2; exit "$baleen_status"; fi\n${run}`;
}

/**
`$0` names the shell in its own errors: `sh: line 0: mocha: not found` is the shell talking, where
`baleen` there made it read as baleen's own failure.
*/
export const shellName = 'sh';

/** The container's argv; with `marker`, its script measures what the container took and sends its `results` file (see resources/probe.ts). */
export function containerCommand(template: string, file: string, before?: string, args: readonly string[] = [], marker?: string, results?: string): string[] {
	const own = script(template, before, args.length > 0);
	return ['/bin/sh', '-c', marker === undefined ? own : measured(own, marker, results), shellName, file, ...args];
}
