import type {EngineChoice} from '../backends/pool/choice.js';
import type {History} from '../plan/history.js';
import type {Shard} from '../plan/shard.js';

/** What a run is asked to do: the programmatic API takes it as is, the CLI builds it from flags and baleen.yml. */
export type RunOptions = {
	/** Globs or paths on the host, relative to `cwd`. */
	patterns: readonly string[];
	image: string;
	/** Run by the image's `/bin/sh`; `{file}` stands for the test file's path. */
	command: string;
	/** Containers at once; the engine's CPU count when absent. */
	concurrency?: number;
	workdir?: string;
	/** Shell commands run first, in the same shell as the command. */
	before?: string;
	/** `KEY=VALUE`, or `KEY` to pass the host's value on. */
	env?: readonly string[];
	/** `SRC:DST[:ro|rw]`; a relative SRC is taken from `cwd`. */
	mounts?: readonly string[];
	/** Per file; 600 when absent. */
	timeoutSeconds?: number;
	cwd?: string;
	/** Match the patterns inside a throwaway container of the image, in `workdir`, instead of on the host. */
	findInImage?: boolean;
	/** A folder with a Dockerfile (relative to `cwd`): built and tagged as `image` before the run. */
	build?: string;
	/** The network each test joins: `bridge` (the engine's default), `none`, `host` or a user-defined one. */
	network?: string;
	/** A new network namespace for every file instead of one per slot, reused by the files the slot runs in turn. */
	freshNetwork?: boolean;
	/** Each test container's memory limit: bytes, or `512m`, `2g`. A file over it is killed, `failed` with `reason: "out of memory"`. */
	memory?: string | number;
	/** Each test container's share of CPUs: 1.5 is one and a half. */
	cpus?: number;
	/** Each test container's limit on processes (and threads). */
	pidsLimit?: number;
	/** Where the CLI writes the run's JUnit XML (relative to `cwd`); `run()` itself writes no file. */
	junit?: string;
	/** The JUnit file the test framework writes in each container (relative ones from `workdir`), read after each file. */
	results?: string;
	/** Where each file's whole output and artifacts are written (relative to `cwd`); the CLI also writes its reports there. */
	outputDir?: string;
	/** Paths in each container copied after each file into its folder of `outputDir`. */
	artifacts?: readonly string[];
	/** How many more times a file that failed, timed out or errored runs; 0 when absent. */
	retries?: number;
	/** A flaky file (failed, then passed) fails the run. */
	failOnFlaky?: boolean;
	/** After this many files failed, no new file starts. */
	bail?: number;
	/** Seconds to wait for an engine that went away mid-run (restarted) before the files left end as errors; 60 when absent. */
	engineWaitSeconds?: number;
	/** Files, relative to `cwd`, taken as they are instead of matching `patterns` (the CLI's `-`: a list on stdin). */
	files?: readonly string[];
	/** Globs of files to leave out, on the host or in the image; a pattern `!GLOB` is one too. */
	exclude?: readonly string[];
	/** Only this share of the files: `"2/4"` or `{index: 2, count: 4}`. */
	shard?: string | Shard;
	/** Only the files that did not pass when they last ran (as the last-run file beside `timings` recorded). */
	lastFailed?: boolean;
	/** The timings file read to start the longest files first (relative to `cwd`); `.baleen/timings.json` when absent. */
	timings?: string;
	/** Whose timings and last run these are, in the history files; `default` when absent. */
	project?: string;
	/** What runs each file, by its name in the registry: `docker` when absent (see backends/registry.ts). */
	backend?: string;
	/** `backend: 'swarm'`: the engine is a Swarm manager and each file a one-shot service on it. */
	swarm?: boolean;
	/** Labels every container of the run; made up when absent. */
	runId?: string;
	/** The engines to spread the run over; the engine of DOCKER_HOST (or the current Docker context) when absent. */
	engines?: readonly EngineChoice[];
};

/**
The options once checked, each value in the form the run uses: made once, from the flags and the
config file by the CLI or from `RunOptions` by `run()`, and trusted from then on.
*/
export type ResolvedOptions = {
	readonly resolved: true;
	patterns: readonly string[];
	/** Where the patterns and relative paths were taken from. */
	cwd: string;
	image: string;
	command: string;
	/** Undefined: the engine's CPU count. */
	concurrency?: number;
	workdir?: string;
	before?: string;
	/** `KEY=VALUE`, the host's values filled in. */
	env: readonly string[];
	/** Docker's bind form, `SRC:DST[:ro|rw]`, with an absolute SRC that exists. */
	mounts: readonly string[];
	timeoutSeconds: number;
	findInImage: boolean;
	/** Absolute. */
	build?: string;
	network?: string;
	freshNetwork: boolean;
	limits: {memoryBytes?: number; cpus?: number; pidsLimit?: number};
	/** Absolute. */
	junit?: string;
	results?: string;
	/** Absolute. */
	outputDir?: string;
	artifacts?: readonly string[];
	retries: number;
	failOnFlaky: boolean;
	bail?: number;
	engineWaitSeconds: number;
	/** Taken as they are, instead of matching `patterns`. */
	files?: readonly string[];
	/** `--exclude` and the patterns written `!GLOB`, without the `!`. */
	exclude: readonly string[];
	shard?: Shard;
	lastFailed: boolean;
	/** What earlier runs of this project recorded, and where this one records. */
	history: History;
	swarm: boolean;
	/** The registry's name of the backend, `--swarm` taken as `swarm`. */
	backend: string;
	runId: string;
	engines?: readonly EngineChoice[];
};
