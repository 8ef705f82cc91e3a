/**
Turns the user's command template into the container's argv so that the file name is data, never code:
the script refers to the file only as "$1", and the path itself travels as that positional argument,
so no shell ever parses it, whatever characters it holds.
*/
const fileToken = /(["']?)\{file\}\1/g;

export function script(template: string, before?: string): string {
	const command = template.includes('{file}') ? template.replace(fileToken, () => '"$1"') : `${template} "$1"`;
	if (!before?.trim()) {
		return command;
	}

	// The before commands share the shell (a `cd` or an `export` carries over); if they fail, the test does not run.
	return `${before}\nbaleen_status=$?\nif [ "$baleen_status" -ne 0 ]; then echo "baleen: --before failed with exit code $baleen_status" >&2; exit "$baleen_status"; fi\n${command}`;
}

/**
`$0` names the shell in its own errors: `sh: line 0: mocha: not found` is the shell talking, where
`baleen` there made it read as baleen's own failure.
*/
export const shellName = 'sh';

export function containerCommand(template: string, file: string, before?: string): string[] {
	return ['/bin/sh', '-c', script(template, before), shellName, file];
}
