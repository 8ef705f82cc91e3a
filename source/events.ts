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
	engine: string;
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

/** What a test framework's own report counted in one file, or in the run (`--results`); an `error` counts as failed. */
export type TestCounts = {
	total: number;
	passed: number;
	failed: number;
	skipped: number;
};

/** One test of a file as the framework's own report tells it (`--results`); its texts bounded. */
export type TestCase = {
	name: string;
	classname?: string;
	timeMs?: number;
	status: 'passed' | 'failed' | 'error' | 'skipped';
	/** The failure's, error's or skip's message. */
	message?: string;
	/** Its body: the assertion and the stack, as the framework wrote them. */
	details?: string;
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
	/** For `error`: the engine's own message. */
	error?: string;
	/** A likely cause worth a look, when baleen has one: e.g. a file that failed at once and is not in the image ("the image may be stale"). */
	hint?: string;
	/** Why the process ended, when baleen knows better than its exit code: `out of memory` (killed at its `--memory` limit). */
	reason?: string;
	/** `--results`: the tests the framework's own report counted in this file. */
	tests?: TestCounts;
	/** `--results`: each of those tests. */
	testcases?: TestCase[];
	/** `--results`: why the framework's report of this file could not be read (none written, not JUnit). */
	resultsError?: string;
	/** `--artifacts`: each path that could not be copied out, and why. */
	artifactErrors?: string[];
	/** `--output-dir`: the folder holding this file's whole output (`stdout.log`, `stderr.log`) and its artifacts. */
	outputFolder?: string;
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
	/** `--results`: the tests of every file whose report could be read, added up. */
	tests?: TestCounts;
	exitCode: number;
	/** The signal that cancelled the run, if one did. */
	signal?: CancelSignal;
};

export type RunEvent = BuildStart | BuildOutput | RunStart | TestStart | TestOutput | TestEnd | RunEnd;

/** What stopped the run early: Ctrl-C, a kill, a closed terminal, or a reader of stdout that went away. */
export type CancelSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGPIPE';
