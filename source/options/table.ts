import path from 'node:path';
import {z} from 'zod';
import {parseShard, type Shard} from '../plan/shard.js';
import type {RunOptions} from './types.js';
import {enginesSchema, parseEngines} from '../backends/pool/choice.js';
import {backends, defaultBackend} from '../backends/registry.js';
import {
	parseConcurrency, parseCount, parseCpus, parseEnv, parseMemory, parseMount, parsePidsLimit, parseTimeout,
} from './parse.js';

/**
One option, declared once: the flag (and its short form), its line in `--help`, its key and schema in
baleen.yml, and how its value reaches `RunOptions`. The help, the flag parser, the config schema and
the resolution are all derived from this table.
*/
export type Declaration = {
	/** The long flag without its dashes; also its key in baleen.yml unless `configName` says otherwise. */
	name: string;
	/** Its key in baleen.yml when that is not the flag's name: `engines`, a list, for the repeatable `--engine`. */
	configName?: string;
	short?: string;
	type: 'string' | 'boolean';
	/** Repeatable on the command line. */
	multiple?: boolean;
	/** What the value stands for in the help: `DIR`, `NAME`. */
	value?: string;
	/** Its words in `--help`; a `\n` starts a continuation line. */
	help: string;
	/** Where the help lists it. */
	section: 'Options' | 'Config file' | 'Commands';
	/** The flag may come without a value (`--bail`), and then means this one; a next argument that `takes` does not match is not its value. */
	alone?: {means: string; takes: RegExp};
	/** Its schema in baleen.yml; an option only the command line takes has none. */
	config?: z.ZodType;
	/** The `RunOptions` key it sets; an option that steers the CLI alone has none. */
	key?: keyof RunOptions;
	/** Its value in the form `RunOptions` holds, from a flag, a config file or the API; `base` resolves relative paths. */
	parse?: (value: unknown, base: string) => unknown;
	/**
	A list merged across the layers (config defaults, project, flags): later entries replace earlier
	ones with the same key (an env variable's name, a mount's target); then each entry is parsed.
	*/
	merge?: {
		entries: (value: unknown) => string[];
		key: (entry: string) => string;
		parse: (entry: string, base: string) => string;
	};
};

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);
const absoluteFrom = (value: unknown, base: string) => path.resolve(base, String(value));
const timeoutExpected = 'expected seconds greater than 0, e.g. 300 or "300s"';
/** A number of seconds in baleen.yml: `300` or `"300s"` (`--timeout`, `--engine-wait`). */
const seconds = z.union([
	z.number().positive({error: timeoutExpected}),
	z.string().regex(/^\d+(\.\d+)?s?$/, {error: timeoutExpected}),
], {error: timeoutExpected});
const text = (expected: string) => z.string({error: expected}).min(1, {error: expected});

export const declarations: readonly Declaration[] = [
	{
		name: 'image',
		short: 'i',
		type: 'string',
		help: 'Image to run each file in (required)',
		section: 'Options',
		config: text('expected an image name'),
		key: 'image',
	},
	{
		name: 'command',
		short: 'c',
		type: 'string',
		help: 'Command run by the image\'s /bin/sh; {file} stands for the test file\'s\npath, passed as data, never parsed by the shell; without {file}, the\npath is appended (required)',
		section: 'Options',
		config: text('expected a command, e.g. "npm test -- {file}"'),
		key: 'command',
	},
	{
		name: 'patterns',
		type: 'string',
		help: 'Globs or paths of the test files (the arguments)',
		section: 'Options',
		config: z.union([z.string().min(1), z.array(z.string({error: 'expected a glob'}).min(1, {error: 'expected a glob'}))], {error: 'expected a glob or a list of globs'}),
		key: 'patterns',
		parse: list,
	},
	{
		name: 'concurrency',
		short: 'j',
		type: 'string',
		help: 'Containers at once (default: the engine\'s CPU count)',
		section: 'Options',
		config: z.int({error: 'expected a whole number of at least 1'}).min(1, {error: 'expected a whole number of at least 1'}),
		key: 'concurrency',
		parse: value => parseConcurrency(value as string | number),
	},
	{
		name: 'workdir',
		short: 'w',
		type: 'string',
		help: 'Working directory inside the container (default: the image\'s)',
		section: 'Options',
		config: z.string({error: 'expected an absolute path in the container'}).startsWith('/', {error: 'expected an absolute path in the container'}),
		key: 'workdir',
	},
	{
		name: 'before',
		type: 'string',
		help: 'Shell commands run first, in the same shell; if they fail, the file fails',
		section: 'Options',
		config: z.string({error: 'expected shell commands as text'}),
		key: 'before',
	},
	{
		name: 'env',
		short: 'e',
		type: 'string',
		multiple: true,
		help: 'KEY=VALUE set in every container, or KEY to pass the host\'s value (repeatable)',
		section: 'Options',
		config: z.union([
			z.array(z.string({error: 'expected KEY=VALUE or KEY'}).regex(/^[A-Za-z_]\w*(=.*)?$/s, {error: 'expected KEY=VALUE or KEY'})),
			z.record(
				z.string().regex(/^[A-Za-z_]\w*$/, {error: 'expected a variable name'}),
				z.union([z.string(), z.number(), z.boolean()], {error: 'expected text, a number or true/false'}),
			),
		], {error: 'expected a list of KEY=VALUE (or KEY) entries, or a map of KEY: value'}),
		key: 'env',
		merge: {
			// A map in baleen.yml is KEY: value.
			entries: value => (Array.isArray(value) || typeof value !== 'object' || value === null
				? list(value)
				: Object.entries(value).map(([key, entry]) => `${key}=${String(entry)}`)),
			key: entry => entry.split('=')[0]!,
			parse: entry => parseEnv(entry),
		},
	},
	{
		name: 'mount',
		short: 'm',
		type: 'string',
		multiple: true,
		help: 'SRC:DST[:ro] bind mount; a relative SRC is taken from here (repeatable)',
		section: 'Options',
		config: z.union([z.string(), z.array(z.string({error: 'expected SRC:DST[:ro]'}))], {error: 'expected SRC:DST[:ro] or a list of them'}),
		key: 'mounts',
		merge: {entries: list, key: entry => entry.split(':')[1]!, parse: parseMount},
	},
	{
		name: 'timeout',
		type: 'string',
		help: 'Seconds a file may run before it is killed as timed out (default: 600)',
		section: 'Options',
		config: seconds,
		key: 'timeoutSeconds',
		parse: value => parseTimeout(value as string | number),
	},
	{
		name: 'network',
		type: 'string',
		value: 'NAME',
		help: 'The network every test joins: bridge (the default), none, host, or a\nuser-defined network, to reach a service container on it by name',
		section: 'Options',
		config: text('expected a network name: bridge, none, host or your own'),
		key: 'network',
	},
	{
		name: 'fresh-network',
		type: 'boolean',
		help: 'A new network namespace for every file; by default each slot keeps one\nfor the files it runs one after another (never two files at once)',
		section: 'Options',
		config: z.boolean({error: 'expected true or false'}),
		key: 'freshNetwork',
	},
	{
		name: 'memory',
		type: 'string',
		value: 'SIZE',
		help: 'Memory each test container may use, e.g. 512m or 2g; a file over it is killed\nand fails as out of memory',
		section: 'Options',
		config: z.union([z.string().min(1), z.number().positive()], {error: 'expected a size, e.g. 512m or 2g'}),
		key: 'memory',
		parse: value => parseMemory(value as string | number),
	},
	{
		name: 'cpus',
		type: 'string',
		value: 'N',
		help: 'CPUs each test container may use, e.g. 1 or 0.5',
		section: 'Options',
		config: z.number({error: 'expected a number of CPUs, e.g. 1 or 0.5'}).positive({error: 'expected a number of CPUs greater than 0'}),
		key: 'cpus',
		parse: value => parseCpus(value as string | number),
	},
	{
		name: 'pids-limit',
		type: 'string',
		value: 'N',
		help: 'Processes (and threads) each test container may run at once',
		section: 'Options',
		config: z.int({error: 'expected a whole number of processes'}).min(1, {error: 'expected a whole number of at least 1'}),
		key: 'pidsLimit',
		parse: value => parsePidsLimit(value as string | number),
	},
	{
		name: 'retries',
		type: 'string',
		value: 'N',
		help: 'Run a file that failed, timed out or errored up to N more times, each in a\nfresh container; one that passes then is flaky (default: 0)',
		section: 'Options',
		config: z.int({error: 'expected a whole number of retries'}).min(0, {error: 'expected a whole number of at least 0'}),
		key: 'retries',
		parse: value => parseCount('retries', 0, 'retries')(value as string | number),
	},
	{
		name: 'fail-on-flaky',
		type: 'boolean',
		help: 'Exit 1 when a file was flaky (failed, then passed on a retry)',
		section: 'Options',
		config: z.boolean({error: 'expected true or false'}),
		key: 'failOnFlaky',
	},
	{
		name: 'bail',
		type: 'string',
		value: '[N]',
		help: 'After N files failed (default: 1), start no new file; running ones finish,\nthe rest end cancelled',
		section: 'Options',
		alone: {means: '1', takes: /^\d+$/},
		config: z.int({error: 'expected a whole number of failed files'}).min(1, {error: 'expected a whole number of at least 1'}),
		key: 'bail',
		parse: value => parseCount('bail', 1, 'failed files')(value as string | number),
	},
	{
		name: 'engine',
		configName: 'engines',
		type: 'string',
		multiple: true,
		value: 'TARGET',
		help: 'An engine to run files on, TARGET[=SLOTS] with SLOTS files at once (default: its\nCPU count); TARGET is unix://PATH, tcp://HOST:PORT, ssh://USER@HOST or a Docker\ncontext\'s name; repeat it to spread one run over several engines',
		section: 'Options',
		config: enginesSchema,
		key: 'engines',
		parse: value => parseEngines(value),
	},
	{
		name: 'engine-wait',
		type: 'string',
		value: 'SECONDS',
		help: 'How long to wait for an engine that went away mid-run (a restart) before the\nfiles left end as errors; the files it cut short run again (default: 60)',
		section: 'Options',
		config: seconds,
		key: 'engineWaitSeconds',
		parse: value => parseTimeout(value as string | number, '--engine-wait'),
	},
	{
		name: 'backend',
		type: 'string',
		value: 'NAME',
		help: `What runs each file (default: ${defaultBackend}); a run that asks for what it\ncannot do is refused${Object.entries(backends).map(([name, {summary}]) => `;\n${name}: ${summary}`).join('')}`,
		section: 'Options',
		config: text(`expected the name of a backend: ${Object.keys(backends).join(' or ')}`),
		key: 'backend',
	},
	{
		name: 'swarm',
		type: 'boolean',
		help: 'The engine is a Swarm manager: each file runs as a one-shot service that\nthe swarm places on a node (the slots: the CPUs of its active nodes);\nthe same as --backend swarm',
		section: 'Options',
		config: z.boolean({error: 'expected true or false'}),
		key: 'swarm',
	},
	{
		name: 'json',
		type: 'boolean',
		help: 'JSON lines on stdout even on a terminal (the default when stdout is not one)',
		section: 'Options',
	},
	{
		name: 'find-in-image',
		type: 'boolean',
		help: 'Match the patterns inside a throwaway container of IMAGE, in --workdir,\nfor suites that live only in the image (--no-find-in-image: on the host)',
		section: 'Options',
		config: z.boolean({error: 'expected true or false'}),
		key: 'findInImage',
	},
	{
		name: 'build',
		type: 'string',
		value: 'DIR',
		help: 'Build DIR (its Dockerfile, honouring .dockerignore) and tag it as --image\nbefore the run; a failed build exits 2 with the build\'s own error',
		section: 'Options',
		config: text('expected a folder with a Dockerfile'),
		key: 'build',
		parse: absoluteFrom,
	},
	{
		name: 'junit',
		type: 'string',
		value: 'FILE',
		help: 'Also write the run as JUnit XML to FILE, for CI (a testcase per file), at the end;\na cancelled run writes what finished',
		section: 'Options',
		config: text('expected a file to write the JUnit XML to'),
		key: 'junit',
		parse: absoluteFrom,
	},
	{
		name: 'exclude',
		type: 'string',
		multiple: true,
		value: 'GLOB',
		help: 'Leave out the files GLOB matches, found on the host or in the image\n(repeatable; a pattern !GLOB does the same)',
		section: 'Options',
		config: z.union([z.string().min(1), z.array(z.string({error: 'expected a glob'}).min(1, {error: 'expected a glob'}))], {error: 'expected a glob or a list of globs'}),
		key: 'exclude',
		parse: list,
	},
	{
		name: 'shard',
		type: 'string',
		value: 'I/N',
		help: 'Run only share I of N of the files, balanced by the recorded timings:\ngive each of N CI jobs the same files and timings and a different I',
		section: 'Options',
		key: 'shard',
		parse: value => (typeof value === 'object' && value !== null ? parseShard(`${(value as Shard).index}/${(value as Shard).count}`) : parseShard(String(value))),
	},
	{
		name: 'last-failed',
		type: 'boolean',
		help: 'Run only the files that did not pass when they last ran in this project',
		section: 'Options',
		key: 'lastFailed',
	},
	{
		name: 'timings',
		type: 'string',
		value: 'FILE',
		help: 'Where each file\'s time is recorded and read back, to start the longest first\n(default: .baleen/timings.json beside baleen.yml, or here)',
		section: 'Options',
		config: text('expected a file to keep the timings in'),
		key: 'timings',
		parse: absoluteFrom,
	},
	{
		name: 'results',
		type: 'string',
		value: 'PATH',
		help: 'The JUnit file the test framework writes in the container (relative to\n--workdir), copied out after each file: --junit then holds each test, and\nthe counts of tests show in the summary',
		section: 'Options',
		config: text('expected the path of a JUnit file in the container'),
		key: 'results',
	},
	{
		name: 'output-dir',
		type: 'string',
		value: 'DIR',
		help: 'Keep everything in DIR: each file\'s whole stdout and stderr (in files/),\nits artifacts, the JSON lines (events.jsonl) and the JUnit report (junit.xml)',
		section: 'Options',
		config: text('expected a folder to write the run\'s output to'),
		key: 'outputDir',
		parse: absoluteFrom,
	},
	{
		name: 'artifacts',
		type: 'string',
		multiple: true,
		value: 'PATH',
		help: 'A file or folder in the container copied after each file into its folder\nof --output-dir (repeatable)',
		section: 'Options',
		config: z.union([z.string().min(1), z.array(z.string({error: 'expected a path in the container'}).min(1, {error: 'expected a path in the container'}))], {error: 'expected a path in the container or a list of them'}),
		key: 'artifacts',
		parse: list,
	},
	{
		name: 'quiet',
		short: 'q',
		type: 'boolean',
		help: 'Nothing on stderr but errors: with stdout piped, no view or log lines there',
		section: 'Options',
	},
	{
		name: 'config',
		type: 'string',
		value: 'FILE',
		help: 'Settings and projects from FILE (default: the nearest baleen.yml,\nbaleen.yaml or baleen.config.json here or in a folder above)',
		section: 'Config file',
	},
	{
		name: 'project',
		short: 'p',
		type: 'string',
		value: 'NAME',
		help: 'Run the project NAME of the config file; flags given as well override it',
		section: 'Config file',
	},
	{
		name: 'list-projects',
		type: 'boolean',
		help: 'List the config file\'s projects and exit',
		section: 'Config file',
	},
	{
		name: 'dry-run',
		type: 'boolean',
		help: 'With clean: list what would be removed, remove nothing',
		section: 'Commands',
	},
];

/** The options the command line takes as flags: all but the arguments. */
export const flagDeclarations = declarations.filter(declaration => declaration.name !== 'patterns');

/** `find-in-image` → `findInImage`, as the flag parser files it. */
export function camelCase(name: string): string {
	return name.replaceAll(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
