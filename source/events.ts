/**
The contract between the engine side and every consumer (terminal UI, JSON lines, the programmatic API).
Every event is one JSON object; `schema` changes only when a field changes meaning or goes away.
*/
export const schemaVersion = 1;

export type TestStatus = 'passed' | 'failed' | 'timed-out' | 'error' | 'cancelled';

export type Summary = {
	total: number;
	passed: number;
	failed: number;
	timedOut: number;
	errored: number;
	cancelled: number;
};

/** `--build`: the image is being built before the run; its output follows as `build-output`, then `run-start`. */
export type BuildStart = {
	schema: typeof schemaVersion;
	type: 'build-start';
	image: string;
	/** The folder built. */
	context: string;
};

/** One line of the build's own output, for live views; JSON lines leave it out (the CLI shows it on stderr). */
export type BuildOutput = {
	schema: typeof schemaVersion;
	type: 'build-output';
	image: string;
	line: string;
};

export type RunStart = {
	schema: typeof schemaVersion;
	type: 'run-start';
	runId: string;
	startedAt: string;
	total: number;
	concurrency: number;
	image: string;
	/** Where the files run; with several engines, their names joined by `, ` (see `engines`). */
	engine: string;
	/** The engines of a run over several (`--engine`), each with how many files it runs at once. */
	engines?: Array<{name: string; slots: number}>;
	/** Lines for a person: what the run could not do as asked, and why (e.g. a network namespace per file instead of per slot). */
	notes?: string[];
};

export type TestStart = {
	schema: typeof schemaVersion;
	type: 'test-start';
	file: string;
	containerId: string;
	/** Milliseconds since the epoch, so that a view can show how long it has run. */
	at: number;
	/** The engine it runs on, in a run over several (`--engine`). */
	engine?: string;
};

/** Live output for views that show what a container is doing now; JSON lines leave it out. */
export type TestOutput = {
	schema: typeof schemaVersion;
	type: 'test-output';
	file: string;
	stream: 'stdout' | 'stderr';
	/** The last complete or partial line seen, bounded. */
	line: string;
};

export type TestResult = {
	file: string;
	status: TestStatus;
	/** Null when the process never exited on its own (not started, cancelled, timed out before the engine answered). */
	exitCode: number | null;
	durationMs: number;
	/** The last bytes of each stream, bounded; see `stdoutBytes` for how much there was. */
	stdout: string;
	stderr: string;
	stdoutBytes: number;
	stderrBytes: number;
	containerId?: string;
	/** The engine it ran on, in a run over several (`--engine`), once it started. */
	engine?: string;
	/** For `error`: the engine's own message. */
	error?: string;
	/** A likely cause worth a look, when baleen has one: e.g. a file that failed at once and is not in the image ("the image may be stale"). */
	hint?: string;
	/** Why the process ended, when baleen knows better than its exit code: `out of memory` (killed at its `--memory` limit). */
	reason?: string;
};

export type TestEnd = {schema: typeof schemaVersion; type: 'test-end'} & TestResult;

export type RunEnd = {
	schema: typeof schemaVersion;
	type: 'run-end';
	runId: string;
	summary: Summary;
	durationMs: number;
	/** Sum of every file's duration: against `durationMs` it tells what running in parallel gave. */
	testDurationMs: number;
	exitCode: number;
	/** The signal that cancelled the run, if one did. */
	signal?: CancelSignal;
};

export type RunEvent = BuildStart | BuildOutput | RunStart | TestStart | TestOutput | TestEnd | RunEnd;

/** What stopped the run early: Ctrl-C, a kill, a closed terminal, or a reader of stdout that went away. */
export type CancelSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGPIPE';
