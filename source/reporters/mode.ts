import {buildOutputReporter} from './build-output.js';
import type {History} from '../plan/history.js';
import {historyReporter} from './history.js';
import {htmlReporter} from './html.js';
import {githubReporter} from './github.js';
import {jsonLinesReporter} from './json-lines.js';
import {junitReporter} from './junit.js';
import {noticesReporter} from './notices.js';
import {outputDirReporters} from './output-dir.js';
import {plainReporter} from './plain.js';
import type {Reporter} from './reporter.js';
import {viewReporter} from './view.js';

/**
Where a run's report goes, decided once at start-up:
- stdout a terminal: the live view on stdout;
- stdout piped, stderr a terminal (`baleen … | jq`): JSON lines on stdout, and on stderr a log that only
  appends (a line per finished file, a progress line now and then), since the terminal is shared with
  the reader of stdout and a view redrawn in place would erase what that reader writes;
- neither (a CI log): JSON lines on stdout, a plain line per finished file and the summary on stderr.
`--json` keeps JSON lines on stdout even on a terminal; `--quiet` leaves stderr to errors alone.
*/
export type OutputMode = {
	stdout: 'view' | 'json';
	stderr: 'log' | 'plain' | 'none';
	quiet: boolean;
};

export function pickMode({stdoutIsTTY, stderrIsTTY, json, quiet}: {
	stdoutIsTTY: boolean;
	stderrIsTTY: boolean;
	json: boolean;
	quiet: boolean;
}): OutputMode {
	if (stdoutIsTTY && !json) {
		return {stdout: 'view', stderr: 'none', quiet};
	}

	// JSON on a terminal that stderr shares: a second report there would only interleave with it.
	if (quiet || (stdoutIsTTY && stderrIsTTY)) {
		return {stdout: 'json', stderr: 'none', quiet};
	}

	return {stdout: 'json', stderr: stderrIsTTY ? 'log' : 'plain', quiet};
}

/** How often the log on a shared terminal says where the run is. */
export const progressEveryMs = 5000;

/** The files a run writes besides its output, and GitHub Actions' own output when it runs there. */
export type ReportFiles = {
	junit?: string;
	/** `--html FILE`: the self-contained HTML report. */
	html?: string;
	/** The history files (timings, last run) this run records to. */
	history?: History;
	outputDir?: string;
	/** In GitHub Actions: annotations on stderr, and the step summary appended to `summaryFile` when there is one. */
	github?: {summaryFile?: string};
};

/** The reporters a mode asks for, in the order they are told of a stop. */
export function reportersFor(mode: OutputMode, {stdout, stderr}: {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream}, {junit, html, history, outputDir, github}: ReportFiles = {}): Reporter[] {
	const groups = github !== undefined;
	return [
		...(junit ? [junitReporter(junit)] : []),
		...(html ? [htmlReporter(html)] : []),
		...(history ? [historyReporter(history, line => stderr.write(`baleen: ${line}\n`))] : []),
		...(outputDir ? outputDirReporters(outputDir) : []),
		mode.stdout === 'view' ? viewReporter(stdout) : jsonLinesReporter(stdout),
		...(mode.stderr === 'none' ? [] : [plainReporter(stderr, mode.stderr === 'log' ? {progressEveryMs, groups} : {groups})]),
		...(github ? [githubReporter(stderr, github.summaryFile)] : []),
		...(mode.quiet ? [] : [buildOutputReporter(stderr), noticesReporter(stderr, {viewShowsCancel: mode.stdout === 'view'})]),
	];
}
