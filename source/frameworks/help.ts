import {commandSelecting, defaultPatterns, type Framework} from './framework.js';
import {lookedIn} from './lookup.js';
import {frameworks} from './registry.js';

/** `baleen --help`'s list of presets: one line each. */
export function presetLines(): string[] {
	const width = Math.max(...Object.keys(frameworks).map(name => name.length));
	return Object.values(frameworks).map(({name, summary}) => `  ${name.padEnd(width)}  ${summary}`);
}

/** `baleen cucumber --help`: what the preset sets, each line as the run would take it. */
export function presetHelp(framework: Framework): string {
	const {name, summary, files, program, results, noTests} = framework;
	const rows: Array<[string, string]> = [
		['patterns', `${defaultPatterns(framework).join(' ')}; a folder given stands for its files that match ${files.match.filter(glob => !glob.startsWith('!')).join(' ')}`],
		['program', `looked up once in the image: ${lookedIn(program)}`],
		['command', commandSelecting(framework).replaceAll('{results}', results.path)],
		['results', `${results.path} (${results.format}), read after each file: each test in --junit and the summary`],
		['no tests', noTests],
	];
	// Laid out as `baleen --help` is: its summary, then headed sections, indented as meow indents.
	return `
  ${summary}

  Usage
    $ baleen ${name} [patterns…] --image IMAGE [options] [-- ${name} arguments…]

  What the preset sets (an option given explicitly wins: --command, --results, patterns)
${rows.map(([key, value]) => `    ${key.padEnd(9)}  ${value}`).join('\n')}

    In the command, {program} is what the lookup found, {args} the arguments after --
    (each passed as data), {file} the file; with your own --command, the arguments after
    -- go at its end, and --results names the report it writes, if any.
    When none of the folders the patterns start from is here, the files are looked for
    in the image, in --workdir (as --find-in-image does), and a line says so.

  Every option: baleen --help
`;
}
