import {z} from 'zod';
import {backends, defaultBackend} from '../backends/registry.js';
import {frameworkNames, unknownFramework} from '../frameworks/registry.js';
import {isSetting, option, type Declaration, type Flag, type Setting} from './declaration.js';
import {bail} from './settings/bail.js';
import {engines} from './settings/engines.js';
import {env} from './settings/env.js';
import {isolate, isolateReuse} from './settings/isolate.js';
import {
	fromBase, globs, numberFromText, oneOrMore, text, wholeNumber,
} from './settings/kinds.js';
import {cpus, memory, pidsLimit} from './settings/limits.js';
import {mount} from './settings/mount.js';
import {quarantine} from './settings/quarantine.js';
import {resultsFormat} from './settings/results-format.js';
import {queue, queueJob, queueLease, queueRetry} from './settings/queue.js';
import {engineWait, timeout} from './settings/seconds.js';
import {shard} from './settings/shard.js';
import {split} from './settings/split.js';

const yesOrNo = z.boolean({error: 'expected true or false'}).default(false);

const frameworkExpected = `expected a framework: ${frameworkNames.join(', ')}`;

/** What a run that names neither a command nor a framework is told. */
export const commandRequired = `is required, e.g. --command "npm test -- {file}", or run a framework's preset: baleen ${frameworkNames.join('|')} …`;

/**
Every option, declared once and in the order `--help` lists them: the flag, its words, and for an
option of the run its one check (`schema`), by the `RunOptions` key it sets. The help, the flag
parser, baleen.yml's schema, the resolution and the types of `RunOptions` and `ResolvedOptions` are
all derived from this table; its doc comments are those of `RunOptions`.
*/
export const table = {
	/** The image each file runs in. */
	image: option({
		name: 'image',
		short: 'i',
		type: 'string',
		help: 'Image to run each file in (required)',
		section: 'Options',
		schema: text('expected an image name'),
		wrong: () => 'is required, e.g. --image my-tests:latest',
	}),
	/** Run by the image's `/bin/sh`; `{file}` stands for the test file's path. Required unless `framework` names a preset, whose command it replaces. */
	command: option({
		name: 'command',
		short: 'c',
		type: 'string',
		help: 'Command run by the image\'s /bin/sh; {file} stands for the test file\'s\npath, passed as data, never parsed by the shell; without {file}, the\npath is appended (required, unless a framework\'s preset gives it)',
		section: 'Options',
		schema: text('expected a command, e.g. "npm test -- {file}"').optional(),
		wrong: () => commandRequired,
	}),
	/** Globs or paths on the host, relative to `cwd`. */
	patterns: option({
		name: 'patterns',
		type: 'string',
		help: 'Globs or paths of the test files (the arguments)',
		section: 'Options',
		schema: globs.default(() => []),
	}),
	/** The preset of a test framework (see frameworks/registry.ts): its patterns, command and report, for what the run does not give. */
	framework: option({
		name: 'framework',
		type: 'string',
		value: 'NAME',
		help: 'Run the suite with a framework\'s preset, as `baleen NAME …` does: its\npatterns, its command and its report of each test (see Frameworks)',
		section: 'Options',
		schema: z.enum(frameworkNames, {error: frameworkExpected}).optional(),
		wrong: given => `takes ${unknownFramework(given).replace(/^unknown framework /, 'a framework, not ')}`,
	}),
	files: {
		name: 'files',
		type: 'string',
		multiple: true,
		value: 'PATH',
		help: 'Test files, as the arguments are (the original baleen\'s spelling): with a\nframework, a folder stands for its files under it (repeatable)',
		section: 'Options',
	},
	/** Given to the framework's command, each as one argument (the CLI's arguments after `--`): before the file in a preset's command, at the end of your own. */
	args: option({
		name: 'args',
		type: 'string',
		help: 'Arguments for the framework\'s command (the arguments after --)',
		section: 'Options',
		schema: z.array(z.string({error: 'expected an argument as text'}), {error: 'expected a list of arguments'}).optional(),
	}),
	/** Containers at once; the engine's CPU count when absent. */
	concurrency: option({
		name: 'concurrency',
		short: 'j',
		type: 'string',
		help: 'Containers at once (default: the engine\'s CPU count)',
		section: 'Options',
		fromText: numberFromText,
		schema: wholeNumber('expected a whole number of at least 1', 1).optional(),
		wrong: given => `must be a whole number of at least 1, not "${given}"`,
	}),
	/** The working directory in the container; the image's when absent. */
	workdir: option({
		name: 'workdir',
		short: 'w',
		type: 'string',
		help: 'Working directory inside the container (default: the image\'s)',
		section: 'Options',
		schema: z.string({error: 'expected an absolute path in the container'}).startsWith('/', {error: 'expected an absolute path in the container'}).optional(),
	}),
	/** Shell commands run first, in the same shell as the command. */
	before: option({
		name: 'before',
		type: 'string',
		help: 'Shell commands run first, in the same shell; if they fail, the file fails',
		section: 'Options',
		schema: z.string({error: 'expected shell commands as text'}).optional(),
	}),
	/** `KEY=VALUE`, or `KEY` to pass the host's value on; resolved, the host's values are filled in. */
	env,
	/** `SRC:DST[:ro|rw]`; a relative SRC is taken from `cwd`. Resolved: Docker's bind form, with an absolute SRC that exists. */
	mounts: mount,
	/** Per file; 600 when absent. */
	timeoutSeconds: timeout,
	/** The network each test joins: `bridge` (the engine's default), `none`, `host` or a user-defined one. */
	network: option({
		name: 'network',
		type: 'string',
		value: 'NAME',
		help: 'The network every test joins: bridge (the default), none, host, or a\nuser-defined network, to reach a service container on it by name',
		section: 'Options',
		schema: text('expected a network name: bridge, none, host or your own').optional(),
	}),
	/** What each file has of its own: a fresh container (`file`, the default), or its slot's container, reused (`slot`). */
	isolate,
	/** With `isolate: 'slot'`, a slot's container is replaced after this many files. */
	isolateReuse,
	/** A new network namespace for every file instead of one per slot, reused by the files the slot runs in turn. */
	freshNetwork: option({
		name: 'fresh-network',
		type: 'boolean',
		help: 'A new network namespace for every file; by default each slot keeps one\nfor the files it runs one after another (never two files at once)',
		section: 'Options',
		schema: yesOrNo,
	}),
	/** Each test container's memory limit: bytes, or `512m`, `2g` (resolved: bytes). A file over it is killed, `failed` with `reason: "out of memory"`. */
	memory,
	/** Each test container's share of CPUs: 1.5 is one and a half. */
	cpus,
	/** Each test container's limit on processes (and threads). */
	pidsLimit,
	/** A file that fails or times out keeps its container's file system as an image, and the summary tells the command that opens a shell in it. */
	keepFailed: option({
		name: 'keep-failed',
		type: 'boolean',
		help: 'Keep the container of a file that fails or times out as an image (docker\ncommit); the summary prints the command that opens a shell in it. baleen\nclean removes such images, the start of a run once they are a day old',
		section: 'Options',
		schema: yesOrNo,
	}),
	/** How many more times a file that failed, timed out or errored runs; 0 when absent. */
	retries: option({
		name: 'retries',
		type: 'string',
		value: 'N',
		help: 'Run a file that failed, timed out or errored up to N more times, each in a\nfresh container; one that passes then is flaky (default: 0)',
		section: 'Options',
		fromText: numberFromText,
		schema: wholeNumber('expected a whole number of retries of at least 0', 0).default(0),
	}),
	/** A flaky file (failed, then passed) fails the run. */
	failOnFlaky: option({
		name: 'fail-on-flaky',
		type: 'boolean',
		help: 'Exit 1 when a file was flaky (failed, then passed on a retry)',
		section: 'Options',
		schema: yesOrNo,
	}),
	/** After this many files failed, no new file starts. */
	bail,
	/** When a slow file runs as several parts, each some of its tests: `auto` (over its share of the run), `off`, or over a number of seconds (resolved: `{aboveMs}`). */
	split,
	/** The engines to spread the run over; the engine of DOCKER_HOST (or the current Docker context) when absent. */
	engines,
	/** Seconds to wait for an engine that went away mid-run (restarted) before the files left end as errors; 60 when absent. */
	engineWaitSeconds: engineWait,
	/** What runs each file, by its name in the registry of backends (see backends/registry.ts); `docker` when absent, `swarm` with `swarm: true`. */
	backend: option({
		name: 'backend',
		type: 'string',
		value: 'NAME',
		help: `What runs each file (default: ${defaultBackend}); a run that asks for what it\ncannot do is refused${Object.entries(backends).map(([name, {summary}]) => `;\n${name}: ${summary}`).join('')}`,
		section: 'Options',
		schema: text(`expected the name of a backend: ${Object.keys(backends).join(' or ')}`).default(defaultBackend),
	}),
	/** `backend: 'swarm'`: the engine is a Swarm manager and each file a one-shot service on it. */
	swarm: option({
		name: 'swarm',
		type: 'boolean',
		help: 'The engine is a Swarm manager: each file runs as a one-shot service that\nthe swarm places on a node (the slots: the CPUs of its active nodes);\nthe same as --backend swarm',
		section: 'Options',
		schema: yesOrNo,
	}),
	json: {
		name: 'json',
		type: 'boolean',
		help: 'JSON lines on stdout even on a terminal (the default when stdout is not one)',
		section: 'Options',
	},
	/** Match the patterns inside a throwaway container of the image, in `workdir`, instead of on the host. */
	findInImage: option({
		name: 'find-in-image',
		type: 'boolean',
		help: 'Match the patterns inside a throwaway container of IMAGE, in --workdir,\nfor suites that live only in the image (--no-find-in-image: on the host)',
		section: 'Options',
		schema: yesOrNo,
	}),
	/** A folder with a Dockerfile (relative to `cwd`): built and tagged as `image` before the run. */
	build: option({
		name: 'build',
		type: 'string',
		value: 'DIR',
		help: 'Build DIR (its Dockerfile, honouring .dockerignore) and tag it as --image\nbefore the run; a failed build exits 2 with the build\'s own error',
		section: 'Options',
		schema: text('expected a folder with a Dockerfile').optional(),
		meaning: fromBase,
	}),
	/** Where the CLI writes the run's JUnit XML (relative to `cwd`); `run()` itself writes no file. */
	junit: option({
		name: 'junit',
		type: 'string',
		value: 'FILE',
		help: 'Also write the run as JUnit XML to FILE, for CI (a testcase per file), at the end;\na cancelled run writes what finished',
		section: 'Options',
		schema: text('expected a file to write the JUnit XML to').optional(),
		meaning: fromBase,
	}),
	/** Where the CLI writes the run's self-contained HTML report (relative to `cwd`); every `outputDir` gets one too. */
	html: option({
		name: 'html',
		type: 'string',
		value: 'FILE',
		help: 'Also write the run as one self-contained HTML page to FILE: a timeline of the\ncontainers, the slowest files, the results with filter and search (every\n--output-dir gets report.html)',
		section: 'Options',
		schema: text('expected a file to write the HTML report to').optional(),
		meaning: fromBase,
	}),
	/** Globs of files to leave out, on the host or in the image; a pattern `!GLOB` is one too. */
	exclude: option({
		name: 'exclude',
		type: 'string',
		multiple: true,
		value: 'GLOB',
		help: 'Leave out the files GLOB matches, found on the host or in the image\n(repeatable; a pattern !GLOB does the same)',
		section: 'Options',
		schema: globs.default(() => []),
	}),
	/** Only this share of the files: `"2/4"` or `{index: 2, count: 4}`. */
	shard,
	/** A shared queue of files for every CI job given it (see source/queue/): resolved, its address, the password kept apart from the URL shown. */
	queue,
	/** Seconds a taken file stays its job's without a heartbeat; 15 when absent. */
	queueLeaseSeconds: queueLease,
	/** This job's name in the queue; the CI's (see `jobIdentity`) when absent. */
	queueJob,
	/** This job replays the files an earlier attempt of `queueJob` ran, its results replacing theirs. */
	queueRetry,
	/** Only the files that did not pass when they last ran (as the last-run file beside `timings` recorded). */
	lastFailed: option({
		name: 'last-failed',
		type: 'boolean',
		help: 'Run only the files that did not pass when they last ran in this project',
		section: 'Options',
		inConfig: false,
		schema: yesOrNo,
	}),
	/** The timings file read to start the longest files first (relative to `cwd`); `.baleen/timings.json` when absent. */
	timings: option({
		name: 'timings',
		type: 'string',
		value: 'FILE',
		help: 'Where each file\'s time is recorded and read back, to start the longest first\n(default: .baleen/timings.json beside baleen.yml, or here)',
		section: 'Options',
		schema: text('expected a file to keep the timings in').optional(),
		meaning: fromBase,
	}),
	/** The quarantine list (relative to `cwd`): tests or files whose failures do not fail the run; `.baleen/quarantine.yml` beside baleen.yml when absent, if it is there. */
	quarantine,
	/** The report the test framework writes in each container (relative ones from `workdir`), read after each file as `resultsFormat` says. */
	results: option({
		name: 'results',
		type: 'string',
		value: 'PATH',
		help: 'The report of its tests the test framework writes in the container (relative\nto --workdir), read as --results-format says and copied out after each file:\n--junit then holds each test, and the counts of tests show in the summary',
		section: 'Options',
		schema: text('expected the path of a report file in the container').optional(),
	}),
	/** How the `results` report is read: `junit` when absent (the names of source/results/registry.ts). */
	resultsFormat,
	/** Where each file's whole output and artifacts are written (relative to `cwd`); the CLI also writes its reports there. */
	outputDir: option({
		name: 'output-dir',
		type: 'string',
		value: 'DIR',
		help: 'Keep everything in DIR: each file\'s whole stdout and stderr (in files/),\nits artifacts, the JSON lines (events.jsonl), the JUnit report (junit.xml)\nand the HTML one (report.html)',
		section: 'Options',
		schema: text('expected a folder to write the run\'s output to').optional(),
		meaning: fromBase,
	}),
	/** Paths in each container copied after each file into its folder of `outputDir`. */
	artifacts: option({
		name: 'artifacts',
		type: 'string',
		multiple: true,
		value: 'PATH',
		help: 'A file or folder in the container copied after each file into its folder\nof --output-dir (repeatable)',
		section: 'Options',
		schema: oneOrMore(text('expected a path in the container'), 'expected a path in the container or a list of them').optional(),
	}),
	quiet: {
		name: 'quiet',
		short: 'q',
		type: 'boolean',
		help: 'Nothing on stderr but errors: with stdout piped, no view or log lines there',
		section: 'Options',
	},
	config: {
		name: 'config',
		type: 'string',
		value: 'FILE',
		help: 'Settings and projects from FILE (default: the nearest baleen.yml,\nbaleen.yaml or baleen.config.json here or in a folder above)',
		section: 'Config file',
	},
	project: {
		name: 'project',
		short: 'p',
		type: 'string',
		value: 'NAME',
		help: 'Run the project NAME of the config file; flags given as well override it',
		section: 'Config file',
	},
	listProjects: {
		name: 'list-projects',
		type: 'boolean',
		help: 'List the config file\'s projects and exit',
		section: 'Config file',
	},
	dryRun: {
		name: 'dry-run',
		type: 'boolean',
		help: 'With clean: list what would be removed, remove nothing',
		section: 'Commands',
	},
	queueWait: {
		name: 'queue-wait',
		type: 'string',
		value: 'SECONDS',
		help: 'With report --queue: how long to wait for the queue to be drained, no file\npending or running, before it fails (default: 3600)',
		section: 'Commands',
	},
	shell: {
		name: 'shell',
		type: 'boolean',
		help: 'With repro: open a shell in the file\'s container instead of running it',
		section: 'Commands',
	},
} satisfies Record<string, Declaration>;

export type Table = typeof table;

/** The keys of the table that set an option of the run. */
export type SettingKey = {[Key in keyof Table]: Table[Key] extends {schema: z.ZodType} ? Key : never}[keyof Table];

/** Every option, in the order `--help` lists them. */
export const declarations: readonly Declaration[] = Object.values(table);

/** The options of the run, each with the `RunOptions` key it sets. */
export const settings: ReadonlyArray<{key: SettingKey; setting: Setting}> = Object.entries(table)
	.flatMap(([key, declaration]: [string, Declaration]) => (isSetting(declaration) ? [{key: key as SettingKey, setting: declaration}] : []));

/** The options the command line takes as arguments, not flags: the patterns, and what follows `--`. */
const argumentNames = new Set(['patterns', 'args']);

/** The options the command line takes as flags: all but the arguments. */
export const flagDeclarations: readonly Flag[] = declarations.filter(declaration => !argumentNames.has(declaration.name));

/** `find-in-image` → `findInImage`, as the flag parser files it. */
export function camelCase(name: string): string {
	return name.replaceAll(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
