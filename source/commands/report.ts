import {existsSync, mkdirSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {NEVER, connectable, filter, from, map, type Observable} from 'rxjs';
import {BaleenError} from '../errors.js';
import type {RunEvent} from '../events.js';
import type {QueueAddress} from '../queue/address.js';
import {openQueue} from '../queue/queue.js';
import {drainedState, queueRunEvents} from '../queue/run-events.js';
import {mergeRuns} from '../report/merge.js';
import {readSource} from '../report/read.js';
import {githubReporter} from '../reporters/github.js';
import {jsonLinesReporter} from '../reporters/json-lines.js';
import {junitReporter} from '../reporters/junit.js';
import {outputDirReporters} from '../reporters/output-dir.js';
import {startReporters, streamReporter, type Reporter} from '../reporters/reporter.js';
import {summaryLines} from '../words/lines.js';

export type ReportRequest = {
	/** Output folders or events files of runs, as given. */
	inputs: readonly string[];
	/** Instead of the inputs: the shared queue whose whole run to report, once drained or after `waitMs`. */
	queue?: {address: QueueAddress; waitMs: number};
	/** Where the merged report goes; optional with a queue, whose runs' own output folders stay with their jobs. */
	outputDir?: string;
	junit?: string;
	/** JSON lines on stdout even on a terminal. */
	json?: boolean;
	quiet?: boolean;
	/** In GitHub Actions: the step summary is appended there. */
	github?: {summaryFile?: string};
	cwd?: string;
};

type Streams = {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream};

/** OUT must be new or empty: a report never writes over anything. */
function checkedOutputDir(outputDir: string | undefined, cwd: string): string {
	if (outputDir === undefined) {
		throw new BaleenError('report needs --output-dir OUT, a new or empty folder to write the merged report to');
	}

	const directory = path.resolve(cwd, outputDir);
	if (existsSync(directory) && readdirSync(directory).length > 0) {
		throw new BaleenError(`--output-dir ${outputDir} is not empty: baleen report writes only to a new or empty folder`);
	}

	return directory;
}

/** The whole run of a queue, once it is drained: one result per file. */
async function queueEvents(address: QueueAddress, waitMs: number): Promise<RunEvent[]> {
	const queue = await openQueue(address, {job: 'report', leaseMs: 1000, project: 'report'});
	try {
		return queueRunEvents(await drainedState(queue, waitMs), address.name, address.shown);
	} finally {
		queue.close();
	}
}

/** What the merge says on stderr: its notes (the runs merged, what is wrong with them), then the summary. */
function summaryText(events$: Observable<RunEvent>): Observable<string> {
	return events$.pipe(
		filter(event => event.type === 'run-start' || event.type === 'run-end'),
		map(event => (event.type === 'run-start' ? (event.notes ?? []).map(note => `baleen: ${note}\n`).join('') : `${summaryLines(event).join('\n')}\n`)),
	);
}

/**
`baleen report DIR|FILE … --output-dir OUT`: the runs given (output folders or events files) merged into
one report in OUT (report.html, events.jsonl, junit.xml), `--junit FILE` too, the summary on stderr,
JSON lines on stdout when it is not a terminal (or with `--json`), GitHub's step summary there; every
input is read and checked before anything is written. Resolves to the merged run's exit code.
*/
export async function report({inputs, queue, outputDir, junit, json = false, quiet = false, github, cwd = process.cwd()}: ReportRequest, streams: Streams): Promise<number> {
	if (queue && inputs.length > 0) {
		throw new BaleenError('report --queue URL takes no runs to merge: the queue holds the whole run');
	}

	if (!queue && inputs.length === 0) {
		throw new BaleenError('report needs the runs to merge: baleen report DIR|FILE … --output-dir OUT, or a queue: baleen report --queue URL');
	}

	const directory = queue && outputDir === undefined ? undefined : checkedOutputDir(outputDir, cwd);
	const events = queue ? await queueEvents(queue.address, queue.waitMs) : mergeRuns(inputs.map(input => readSource(input, cwd))).events;
	try {
		if (directory) {
			mkdirSync(directory, {recursive: true});
		}
	} catch (error) {
		throw new BaleenError(`cannot write to --output-dir ${outputDir}: ${(error as Error).message}`);
	}

	const reporters: Reporter[] = [
		...(directory ? outputDirReporters(directory) : []),
		...(junit ? [junitReporter(path.resolve(cwd, junit))] : []),
		...(json || !streams.stdout.isTTY ? [jsonLinesReporter(streams.stdout)] : []),
		...(quiet ? [] : [streamReporter(streams.stderr, summaryText)]),
		...(github ? [githubReporter(streams.stderr, github.summaryFile)] : []),
	];
	const events$ = connectable(from(events));
	const reporting = await startReporters(reporters, events$, {cancel$: NEVER});
	events$.connect();
	await reporting.closed;
	const end = events.at(-1);
	return end?.type === 'run-end' ? end.exitCode : 1;
}
