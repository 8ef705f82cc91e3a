import type {Observable} from 'rxjs';

/** What one attempt at one file runs: everything a backend needs to know to run it anywhere. */
export type JobSpec = {
	image: string;
	cmd: string[];
	env: string[];
	workdir?: string;
	/** `SRC:DST[:ro]` with an absolute SRC. */
	binds: string[];
	/** Carried by everything the backend creates for the job, and how it is found again to be removed. */
	labels: Record<string, string>;
	/** `bridge` (the default), `none`, `host` or a user-defined network. */
	network?: string;
	limits?: Limits;
};

/** What one job may take: memory in bytes (no swap beyond it), CPUs (1.5 is one and a half), processes. */
export type Limits = {memoryBytes?: number; cpus?: number; pidsLimit?: number};

/** One attempt at one file. */
export type Job = {
	file: string;
	spec: JobSpec;
	timeoutMs: number;
	/** How much of each stream the result keeps; the default bounds baleen's memory whatever a test prints. */
	tailBytes?: number;
	/**
	The slot it runs in. Jobs of one slot run one after another, so they may share what the slot holds
	(a network namespace); jobs of different slots never do. Without a slot, the job shares nothing.
	*/
	slot?: number;
	/** What to bring out of the job's sandbox once its process ends, before the sandbox is removed. */
	copyOut?: CopyOut;
	/** Keep the sandbox's file system as an image when the job fails or times out (`--keep-failed`): `exited.kept` names it. */
	keep?: boolean;
	/** With slot containers (`PrepareRequest.slots`): run in a sandbox of its own all the same (a retry). */
	fresh?: boolean;
	/** The line its command writes what its container took behind, as the last bytes of its stderr (see resources/probe.ts). */
	marker?: string;
};

/**
Paths inside the job's sandbox (relative ones from its working directory) brought out after its process
ends: a results file read whole, artifacts written into a folder on the host.
*/
export type CopyOut = {
	/** A file the test framework writes (its report of its tests, in the run's --results-format): its text comes back on `exited`. */
	results?: string;
	/** Files or folders copied, each under its own name, into the host folder `into`. */
	artifacts?: {paths: string[]; into: string};
};

/** What came of a `CopyOut`: each path either brought out or why not. */
export type Copied = {
	results?: {path: string; text: string} | {path: string; problem: string};
	artifacts?: Array<{path: string; problem?: string}>;
};

export type Output = {stream: 'stdout' | 'stderr'; chunk: Uint8Array};

/**
What a backend tells of one attempt, in this order: `started` (the process is about to run; its output
may follow at once), `running` (the engine says it runs), `output`, then `exited` or `failed`. The
Observable completes once the backend has removed what it made for the job, which may be after the end was told.
*/
export type JobEvent =
	/** `engine`: where it runs, when the backend has more than one place (the name `Prepared.engines` lists), and `slot`, its slot there. */
	| {type: 'started'; id: string; at: number; engine?: string; slot?: number}
	/**
	The file's timeout counts from here: the time an engine takes to start a process (seconds on a loaded
	machine) is not the file's. Output may come before it, as a process can write before its start is answered.
	*/
	| {type: 'running'}
	| ({type: 'output'} & Output)
	/** `kept`: the image a job to `keep` was kept as. */
	| {type: 'exited'; exitCode: number; fileMissing?: boolean; outOfMemory?: boolean; copied?: Copied; kept?: string}
	/**
	`lost`: the engine went away under the job (stopped answering, restarted, unreachable), so the attempt
	says nothing about the test; the run may give the file another attempt, elsewhere or later.
	*/
	| {type: 'failed'; message: string; lost?: boolean};

/** What a run asks of a backend before its first job. */
export type PrepareRequest = {
	/** The run the jobs are of, as their `baleen.run` label says: what `sweep` takes, and how a backend tells its runs apart. */
	runId: string;
	image: string;
	/** Build this folder's Dockerfile as the image first. */
	build?: {directory: string; labels: Record<string, string>; onLine: (line: string) => void};
	/** Aborting stops a build. */
	signal?: AbortSignal;
	/** Slots share a network namespace across their jobs, made with these labels; absent: a fresh one per job. */
	sandboxes?: {labels: Record<string, string>};
	/**
	`--isolate slot`: each slot runs its jobs one after another in one long-lived sandbox made with these
	labels, each job a fresh process tree in it; the sandbox is replaced after a job that did not pass, and
	after `reuse` jobs when given. A job that is `fresh` runs in a sandbox of its own.
	*/
	slots?: {labels: Record<string, string>; reuse?: number};
	network?: string;
	/** The bind sources its jobs will have (`SRC:DST[:ro]`), so that the backend can tell before the first job whether its engine sees them. */
	binds?: readonly string[];
	/** How long jobs wait for an engine that went away mid-run to come back before they fail (`--engine-wait`). */
	engineWaitMs: number;
};

export type Prepared = {
	/** How many jobs it runs at once when the user does not say. */
	slots: number;
	/** One line each, for a person: something of the request it could not honour, and why. */
	notes: string[];
	/** Where the jobs run, each with how many it runs at once, when that is more than one place. */
	engines?: EngineSlots[];
	/** The id of the image the jobs run in, as the engine has it now, when the backend knows it. */
	imageId?: string;
};

export type EngineSlots = {name: string; slots: number};

/**
Where jobs run: one Docker-compatible engine today, several engines or a cluster tomorrow. The pipeline
talks only to this; everything the backend makes for a run (containers, sandboxes) is its own to remove.
*/
export type Backend = {
	/** Where it is, as a person would look for it: `unix:///var/run/docker.sock`. */
	readonly name: string;
	/** Rejects with a `BaleenError` that names the backend when it cannot serve the run. */
	prepare(request: PrepareRequest): Promise<Prepared>;
	/**
	Subscribing runs the job. The first value of `stop$` stops it gracefully (killed if it runs, never
	started if not yet), and says why: `'timed-out'` (a job to `keep` is then kept) or `'cancelled'`; unsubscribing removes what it made at once. Failures of the backend arrive as
	`failed`, not as an error.
	*/
	run(job: Job, stop$: Observable<unknown>): Observable<JobEvent>;
	/**
	A hint that the job is the next its slot runs, while the slot is still busy: the backend may make it
	ready now. `run` may come for it later, in that slot or another, or never; whatever it made for the job
	and did not use is removed by `close` at the latest. With slot containers (`PrepareRequest.slots`), what
	it makes is the slot's container, unless the slot has one: the plan asks so for each slot before the run.
	*/
	ahead?(job: Job): void;
	/** Removes everything labelled with the run, whoever holds it; how many were found. */
	sweep(runId: string): Promise<number>;
	/** Removes what it keeps across jobs (slot sandboxes). It can serve another run afterwards. */
	close(): Promise<void>;
};
