/**
The contract between the engine side and every consumer (terminal UI, JSON lines, the programmatic API).
Every event is one JSON object; `schema` changes only when a field changes meaning or goes away.

Schema 2 (from 1): a file may run more than once (`--retries`, or an engine lost under it), so
`test-start` has `attempt`, an attempt that is not the file's last ends with `test-retry` instead of
`test-end`, `test-end` has `attempts`, and a status may be `flaky` (passed after failing).

Added within schema 2 (new fields and events, none changed): a slow file may run as several parts at
once, each a subset of its tests (`test-start.part`, `test-retry.part`, `part-end`), still ending with one
`test-end` (`split`); a retry may run only the tests that failed, and a test that passed on it is
`flaky` by name (`TestCase.flaky`, `TestCase.earlier`).

Still schema 2: a quarantine list (`.baleen/quarantine.yml`) adds what a reader of schema 2 may leave
unread, and nothing changes meaning or goes away. A file whose failure comes only from quarantined
tests, or a file quarantined whole that did not pass, ends `quarantined` (not a failure; counted in
`summary.quarantined`, present only when a file was); the tests and files a list entry matched carry
it as `quarantined`; `run-end` names the list's expired entries (`quarantineExpired`, which fail the
run) and, after a run of every file, the entries that matched nothing (`quarantineUnmatched`). Without
a list, no event holds any of these.

Still schema 2: with `--keep-failed`, the `test-end` (and `test-retry`) of a file that failed or timed
out names the image its container was kept as (`kept`); without it, no event holds it.

Still schema 2: what each file's container took (`TestResult.resources`), and what the run's took per
engine (`run-end.usage`); a figure that could not be measured is absent.
*/
export const schemaVersion = 2;

/**
`flaky`: failed, then passed on a later attempt; it counts as passed unless `--fail-on-flaky`.
`quarantined`: did not pass, but only because of tests (or the whole file) the quarantine list names: it does not fail the run.
*/
export type TestStatus = 'passed' | 'flaky' | 'failed' | 'timed-out' | 'error' | 'cancelled' | 'quarantined';

export type Summary = {
	total: number;
	passed: number;
	/** Passed after failing; not in `passed`. */
	flaky: number;
	failed: number;
	timedOut: number;
	errored: number;
	cancelled: number;
	/** Did not pass because of quarantined tests only; absent when none did. */
	quarantined?: number;
};

/** The count of `Summary` a file of each status adds to: statuses are spelled as `status` tells them, counts as JSON keys. */
export const summaryKey = {
	passed: 'passed',
	flaky: 'flaky',
	failed: 'failed',
	'timed-out': 'timedOut',
	error: 'errored',
	cancelled: 'cancelled',
	quarantined: 'quarantined',
} as const satisfies Record<TestStatus, Exclude<keyof Summary, 'total'>>;

/** Every status, in the order reports count them. */
export const testStatuses = Object.keys(summaryKey) as TestStatus[];

/**
A file that did not pass: it failed, timed out or errored. Such a file fails the run, runs again with
`--retries` and counts toward `--bail`; a flaky one passed in the end, a cancelled one was stopped.
*/
export const isFailure = (status: TestStatus): boolean => status === 'failed' || status === 'timed-out' || status === 'error';

/** How many files of a summary ended with `status` (a count a summary leaves out is none). */
export const countOf = (summary: Summary, status: TestStatus): number => summary[summaryKey[status]] ?? 0;

/** How many files of a summary did not pass (see `isFailure`). */
export const failedFiles = (summary: Summary): number => testStatuses.filter(status => isFailure(status)).reduce((sum, status) => sum + countOf(summary, status), 0);

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
	/** The command each file runs, `{file}` as given; and the version of baleen that ran it. */
	command?: string;
	version?: string;
	/** The engines of a run over several (`--engine`), each with how many files it runs at once. */
	engines?: Array<{name: string; slots: number}>;
	/** Lines for a person: what the run could not do as asked, and why (e.g. a network namespace per file instead of per slot). */
	notes?: string[];
	/** `--retries`, when given: how many more times a failing file runs. */
	retries?: number;
	/** `--bail`, when given: after this many failed files no new file starts. */
	bail?: number;
	/**
	`--shard`: the share of the files this run is (`index` of `count`, counted from 1), how many files
	all the shards share (`planned`) and which (`files`, sorted), and a digest of the split's inputs (the
	files and the timings it used): shards of one run whose digests differ were planned from different ones.
	*/
	shard?: {index: number; count: number; planned: number; digest: string; files?: string[]};
	/** Each file's expected milliseconds, from earlier runs' timings (the mean of them for a file never timed), when any are known. */
	expectedMs?: Record<string, number>;
};

export type TestStart = {
	schema: typeof schemaVersion;
	type: 'test-start';
	file: string;
	containerId: string;
	/** Milliseconds since the epoch, so that a view can show how long it has run. */
	at: number;
	/** 1 for a file's first run; more when it runs again. */
	attempt: number;
	/** How many attempts its own failures may have in all: 1 + `--retries` (attempts lost to the engine come on top). */
	maxAttempts: number;
	/** The engine it runs on, in a run over several (`--engine`). */
	engine?: string;
	/** One part of a file split by its tests: several may run at once, and the file still ends with one `test-end`. */
	part?: Part;
	/**
	The slot it runs in, from 0: one file at a time runs in a slot. With several engines, the slot of its
	engine (each engine counts its own from 0), so that `engine` and `slot` name one place.
	*/
	slot?: number;
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

/** A failed file's container kept as an image (`--keep-failed`). */
export type Kept = {image: string; command: string; envFile: string};

/** What a test framework's own report counted in one file, or in the run (`--results`); an `error` counts as failed. */
export type TestCounts = {
	total: number;
	passed: number;
	failed: number;
	skipped: number;
};

/** The quarantine list's entry that matched a test or a file: why, whose, and until when (`YYYY-MM-DD`). */
export type QuarantineMark = {reason: string; owner: string; expires?: string};

/** An entry of the quarantine list as run-end names it: what it matches (a test's name, a file's path or glob), and its mark. */
export type QuarantineEntry = QuarantineMark & {test?: string; file?: string};

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
	/** A retry ran the test again, and it passed: it failed before (see `earlier`). */
	flaky?: true;
	/** Its runs before the last, oldest first, when a retry ran it again (only a file's failed tests run again). */
	earlier?: Array<Pick<TestCase, 'status' | 'message' | 'details'>>;
	/** The quarantine list's entry for it: its failure does not fail the file. */
	quarantined?: QuarantineMark;
};

/**
One part of a file split by its tests (`--split`): the `index`th of `count` (from 1). Each part is a
container of its own running some of the file's tests through the framework's own filter; the file's
`test-end` comes once every part has ended.
*/
export type Part = {index: number; count: number};

/**
What a file's container took, read from its own cgroup as it ended (see resources/probe.ts): its
memory's peak, its CPU time, and the most processes (threads too) it held at once. A figure is absent
where it cannot be known: a container killed (timed out, cancelled) before it could write them, an
image without a shell, a file that left a process writing to stderr after it. On cgroup v1 `pidsPeak`
is sampled every 0.2 s, so a shorter burst is missed: a floor, not the exact peak.
*/
export type Resources = {memoryPeakBytes?: number; cpuMs?: number; pidsPeak?: number};

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
	/** `--results`: the tests the framework's own report counted in this file. */
	tests?: TestCounts;
	/** `--results`: each of those tests. */
	testcases?: TestCase[];
	/** `--results`: why the framework's report of this file could not be read (none written, not in its format). */
	resultsError?: string;
	/** `--artifacts`: each path that could not be copied out, and why. */
	artifactErrors?: string[];
	/** `--output-dir`: the folder holding this file's whole output (`stdout.log`, `stderr.log`) and its artifacts. */
	outputFolder?: string;
	/** The attempt was lost to the engine (it went away, restarted, or the slot's network holder was gone): it says nothing about the test. */
	lost?: boolean;
	/** `--keep-failed`: the image its failed container was kept as, and the command that opens a shell in it (its env in `envFile`, readable by its owner only). */
	kept?: Kept;
	/** When the attempt ended, in milliseconds since the epoch: it began `durationMs` before (its container made, then started at `test-start`'s `at`). */
	endedAt?: number;
	/** The quarantine list's entry for the whole file: whatever its failure, it does not fail the run. */
	quarantined?: QuarantineMark;
	/** What its container took (of a split file: its parts' CPU added up, the highest of their peaks). */
	resources?: Resources;
};

/** What became of an attempt that was not the file's last. */
export type AttemptResult = Pick<TestResult, 'status' | 'exitCode' | 'durationMs' | 'error' | 'reason' | 'lost'>;

/**
An attempt ended and the file runs again (in a fresh container): after a failure with retries left, or
after losing its engine. With per-test results the retry runs only the tests that failed.
*/
export type TestRetry = {
	schema: typeof schemaVersion;
	type: 'test-retry';
	/** The tests the next attempt runs, when it runs only those that failed (named as the framework's filter names them). */
	only?: string[];
} & Pick<TestStart, 'attempt' | 'maxAttempts' | 'part'> & TestResult;

/**
One part of a split file ended, after its own retries: a sub-event of the file, which ends with its own
`test-end` once every part has. Its counts are not the run's: only the file's `test-end` counts.
*/
export type PartEnd = {
	schema: typeof schemaVersion;
	type: 'part-end';
	part: Part;
	/** How many times the part ran, and its runs before the last. */
	attempts: number;
	earlier?: AttemptResult[];
} & TestResult;

/** How a file split by its tests ran (`test-end.split`). */
export type SplitRun = {
	/** How many parts it ran as. */
	parts: number;
	/** Its parts' times added up: about what it would take whole, the time the timings keep (so that the next run splits it again). */
	partsMs?: number;
	/** Why it ran whole after its parts after all (a part's report missing, a filter the framework refused): its result is that run's. */
	whole?: string;
};
export type TestEnd = {
	schema: typeof schemaVersion;
	type: 'test-end';
	/** How many times the file ran, this last time included; attempts lost to the engine count too. */
	attempts: number;
	/** The attempts before this last one, oldest first; absent when there were none. */
	earlier?: AttemptResult[];
	/**
	The file ran as several parts, each some of its tests: its status is the worst of theirs, its time
	from the first part's start to the last one's end, its tests each part's, `attempts` the most any part had.
	*/
	split?: SplitRun;
} & TestResult;

/** A file's final result, as `test-end` tells it. */
export type FileResult = Omit<TestEnd, 'schema' | 'type'>;

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
	/** `--bail` stopped handing out files: the files not run are `cancelled`. */
	bailed?: true;
	/** The quarantine list's entries past their `expires` date (UTC): they fail the run, whether or not their tests ran. */
	quarantineExpired?: QuarantineEntry[];
	/** In a run of every file, the quarantine list's entries that matched no test and no file: a note, not a failure. */
	quarantineUnmatched?: QuarantineEntry[];
	/** What the files' containers took, when any was measured. */
	usage?: Usage;
};

/** What a run's containers took: per engine, and the files that stood out. */
export type Usage = {
	/** Per engine the files ran on: their containers' lifetimes and CPU time added up (every attempt's lifetime, the last attempt's CPU). */
	engines: Array<{engine: string; containerSeconds: number; cpuSeconds: number}>;
	/** The files that took the most memory, most first (a few). */
	heaviest: Array<{file: string} & Resources>;
	/** A `--memory` that would have held every file: 1.5 × the highest peak. */
	suggestedMemoryBytes?: number;
	/** With `--memory`: its bytes, and the files whose peak came within 10 % of it. */
	memoryLimitBytes?: number;
	nearMemoryLimit?: string[];
};

export type RunEvent = BuildStart | BuildOutput | RunStart | TestStart | TestOutput | TestRetry | PartEnd | TestEnd | RunEnd;

/** What stopped the run early: Ctrl-C, a kill, a closed terminal, or a reader of stdout that went away. */
export type CancelSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGPIPE';
