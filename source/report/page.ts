import {
	isFailure, type FileResult, type RunEnd, type RunEvent, type RunStart, type TestCase, type TestStatus,
} from '../events.js';
import {failedTest} from '../results/tests.js';
import {formatBytes, formatDuration, statusLabel, statusMark} from '../words/format.js';
import {attemptsText, count, countParts, exitMeaning, shownExitCode, summaryLines} from '../words/lines.js';
import {quarantineWords} from '../words/quarantine.js';
import {layout, type Bar, type Timeline} from './layout.js';
import {pageScript} from './script.js';
import {pageStyle} from './style.js';

/** A file's whole output, as far as the page shows it, and where all of it is (a link relative to the page). */
export type WholeOutput = {stdout: string; stderr: string; stdoutBytes: number; stderrBytes: number; href?: string};

export type PageOptions = {
	/** The whole output of a file that did not pass, when it was kept (`--output-dir`); else the tails the events carry show. */
	outputOf?: (result: FileResult) => WholeOutput | undefined;
};

const escapes: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;'};
export const escape = (text: string) => text.replace(/[&<>"']/g, character => escapes[character]!);

/** Failures first, then quarantined and flaky, cancelled and passed files; by name within each. */
const rank = (status: TestStatus) => (isFailure(status) ? 0 : ({quarantined: 1, flaky: 1, cancelled: 2} as Partial<Record<TestStatus, number>>)[status] ?? 3);

const percent = (part: number, whole: number) => (whole > 0 ? Number((100 * part / whole).toFixed(3)) : 0);

function clock(origin: number, ms: number): string {
	return new Date(origin + ms).toISOString().slice(11, 23);
}

/** Tick marks of the time axis: a round step giving five to ten of them. */
function ticks(spanMs: number): number[] {
	const steps = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
	const step = steps.find(candidate => spanMs / candidate <= 10) ?? 7_200_000;
	return Array.from({length: Math.floor(spanMs / step) + 1}, (_, index) => index * step);
}

/** The share of the span from which a bar shows its container's making apart: about six pixels of a wide page. */
const phaseShownFrom = 0.005;

function barHtml(bar: Bar, timeline: Timeline, fileId: string): string {
	const label = bar.lost ? 'lost to the engine' : (bar.status === 'unfinished' ? 'unfinished' : statusLabel[bar.status]);
	const created = bar.startedX - bar.x;
	const title = [
		bar.file,
		`attempt ${bar.attempt}: ${label}${bar.retried ? ', ran again' : ''}`,
		`container ${bar.containerId.slice(0, 12)}`,
		`${clock(timeline.origin, bar.x)} → ${clock(timeline.origin, bar.x + bar.width)} (${formatDuration(bar.width)}${created > 0 ? `; ${formatDuration(created)} to make and start it` : ''})`,
	].join('\n');
	const classes = ['bar', bar.status, ...(bar.lost ? ['lost'] : []), ...(bar.retried ? ['retried'] : [])].join(' ');
	const style = `left:${percent(bar.x, timeline.spanMs)}%;width:${percent(bar.width, timeline.spanMs)}%`;
	// Only where it can be seen: an element more a bar costs a page of thousands of bars its first frame.
	const create = created > 0 && bar.width > phaseShownFrom * timeline.spanMs ? `<i style="width:${percent(created, bar.width)}%"></i>` : '';
	return `<a class="${classes}" href="#${fileId}" data-container="${escape(bar.containerId)}" data-file="${fileId}" style="${style}" title="${escape(title)}" aria-label="${escape(`${bar.file}, ${label}`)}">${create}</a>`;
}

function timelineHtml(timeline: Timeline, fileIds: ReadonlyMap<string, string>): string {
	if (timeline.bars.length === 0) {
		return '<p>No container ran.</p>';
	}

	const rows = timeline.lanes.map((lane, row) => {
		const bars = timeline.bars.filter(bar => bar.row === row).map(bar => barHtml(bar, timeline, fileIds.get(bar.file)!)).join('');
		const idle = `idle ${formatDuration(lane.idleMs)}`;
		return `<div class="lane"><span class="lane-name" title="${escape(`${lane.engine}, slot ${lane.slot}: busy ${formatDuration(lane.busyMs)}, ${idle}`)}">${escape(lane.engine)} · ${lane.slot}</span><div class="track">${bars}</div></div>`;
	}).join('\n');
	const axis = ticks(timeline.spanMs).map(ms => `<span style="left:${percent(ms, timeline.spanMs)}%">${formatDuration(ms)}</span>`).join('');
	return `<div class="timeline"><div class="lane axis"><span class="lane-name">engine · slot</span><div class="track">${axis}</div></div>\n${rows}\n</div>
<p class="legend"><span class="key passed"></span> passed <span class="key flaky"></span> flaky <span class="key quarantined"></span> quarantined <span class="key failed"></span> failed, timed out or error <span class="key cancelled"></span> cancelled <span class="key lost"></span> lost to its engine <span class="key retried"></span> ran again · the paler start of a bar: its container being made and started (its removal, after, is not measured)</p>`;
}

function criticalHtml(timeline: Timeline, fileIds: ReadonlyMap<string, string>): string {
	const rows = timeline.slowest.map(({file, ms, share}) =>
		`<tr><td><a href="#${fileIds.get(file)}">${escape(file)}</a></td><td>${formatDuration(ms)}</td><td><span class="share" style="width:${percent(share, 1)}%"></span>${Math.round(100 * share)}%</td></tr>`).join('');
	const capacity = timeline.busyMs + timeline.idleMs;
	return `<p>The run took ${formatDuration(timeline.spanMs)}; its slots were busy ${formatDuration(timeline.busyMs)} and idle ${formatDuration(timeline.idleMs)} (${Math.round(percent(timeline.idleMs, capacity))}%), ${formatDuration(timeline.idleAtEndMs)} of it after their last file, waiting for the others${timeline.last ? `; the run waited last for <a href="#${fileIds.get(timeline.last.file)}">${escape(timeline.last.file)}</a>` : ''}.</p>
<table class="slowest"><thead><tr><th>slowest files</th><th>time</th><th>of the run's span</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function testsHtml(testcases: readonly TestCase[]): string {
	const items = [...testcases].sort((a, b) => Number(failedTest(b)) - Number(failedTest(a))).map(test => {
		const name = [test.classname, test.name].filter(Boolean).join(' › ');
		const message = test.message ?? test.details;
		const quarantine = test.quarantined ? ` <span class="quarantine">quarantined: ${escape(quarantineWords(test.quarantined))}</span>` : '';
		return `<li class="test ${test.status}">${escape(statusMark[test.status === 'skipped' ? 'cancelled' : (failedTest(test) ? 'failed' : 'passed')])} ${escape(name)}${test.timeMs === undefined ? '' : ` <span class="meta">${formatDuration(test.timeMs)}</span>`}${quarantine}${failedTest(test) && message ? `<pre class="message">${escape(test.details && test.message ? `${test.message}\n${test.details}` : message)}</pre>` : ''}</li>`;
	});
	return `<ul class="tests">${items.join('')}</ul>`;
}

function streamHtml(name: 'stdout' | 'stderr', text: string, bytes: number, href: string | undefined): string {
	if (text === '' && bytes === 0) {
		return '';
	}

	const shown = Buffer.byteLength(text, 'utf8');
	const cut = bytes > shown ? ` <span class="meta">the last ${formatBytes(shown)} of ${formatBytes(bytes)}</span>` : '';
	const link = href ? ` <a href="${escape(`${href}/${name}.log`)}">${name}.log</a>` : '';
	return `<h4>${name}${cut}${link}</h4><pre class="output">${escape(text)}</pre>`;
}

/** A file's row of the list, and its body (shown once it is opened). */
function fileHtml(result: FileResult, id: string, options: PageOptions): {row: string; body: string} {
	const code = shownExitCode(result);
	const meaning = exitMeaning(result);
	const attempts = attemptsText(result);
	const meta = [
		formatDuration(result.durationMs),
		...(code === undefined ? [] : [`exit ${code}`]),
		...(result.tests ? [count(result.tests.total, 'test')] : []),
		...(result.attempts > 1 ? [`${result.attempts} attempts`] : []),
		...(result.engine ? [result.engine] : []),
	].join(' · ');
	const messages = [
		...(meaning ? [meaning] : []),
		...(result.error ? [result.error] : []),
		...(result.hint ? [`hint: ${result.hint}`] : []),
		...(result.resultsError ? [`results: ${result.resultsError}`] : []),
		...(result.artifactErrors ?? []).map(problem => `artifacts: ${problem}`),
		...(attempts ? [attempts] : []),
		...(result.quarantined ? [`quarantined: ${quarantineWords(result.quarantined)}`] : []),
	];
	const whole = isFailure(result.status) || result.status === 'flaky' || result.status === 'quarantined' ? options.outputOf?.(result) : undefined;
	const output = whole ?? result;
	const body = [
		messages.length > 0 ? `<ul class="messages">${messages.map(message => `<li>${escape(message)}</li>`).join('')}</ul>` : '',
		result.testcases?.length ? testsHtml(result.testcases) : '',
		streamHtml('stdout', output.stdout, output.stdoutBytes, whole?.href),
		streamHtml('stderr', output.stderr, output.stderrBytes, whole?.href),
		result.containerId ? `<p class="meta">container ${escape(result.containerId)}</p>` : '',
	].join('');
	const row = `<li id="${id}" class="file ${result.status}" data-status="${result.status}"><a class="summary" href="#${id}" aria-expanded="false"><span class="mark">${escape(statusMark[result.status])}</span> <span class="name">${escape(result.file)}</span> <span class="label">${statusLabel[result.status]}</span> <span class="meta">${escape(meta)}</span></a></li>`;
	return {row, body};
}

/** How many rows a block of the list holds: Chromium skips drawing a block out of sight, and tens of blocks cost it far less than thousands of rows. */
const rowsABlock = 200;

/** A closed row's height, in pixels: what a block out of sight is taken to be until it is drawn. */
const rowHeight = 27;

/** JSON that may stand inside a `<script>` element: no `</script>` or `<!--` can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/**
The list of files, in blocks, and their bodies apart, as JSON in the page: a body becomes elements only
when its file is opened, so thousands of failures' outputs cost the page's first frame
nothing but their bytes.
*/
function filesHtml(results: readonly FileResult[], fileIds: ReadonlyMap<string, string>, options: PageOptions): string {
	const files = results.map(result => fileHtml(result, fileIds.get(result.file)!, options));
	const blocks = Array.from({length: Math.ceil(files.length / rowsABlock)}, (_, index) => {
		const rows = files.slice(index * rowsABlock, (index + 1) * rowsABlock);
		return `<ol class="block" style="contain-intrinsic-size:auto ${rows.length * rowHeight}px">${rows.map(({row}) => row).join('')}</ol>`;
	});
	const bodies = Object.fromEntries(results.map((result, index) => [fileIds.get(result.file)!, files[index]!.body]));
	return `<div id="files">\n${blocks.join('\n')}\n</div>\n<script type="application/json" id="bodies">${scriptJson(bodies)}</script>`;
}

function settingsHtml(start: RunStart, end: RunEnd | undefined): string {
	const engines = start.engines?.map(({name, slots}) => `${name} (${slots})`).join(', ') ?? start.engine;
	const rows: Array<[string, string | undefined]> = [
		['image', start.image],
		['command', start.command],
		['engines', engines],
		['at once', String(start.concurrency)],
		['retries', start.retries === undefined ? undefined : String(start.retries)],
		['shard', start.shard && `${start.shard.index} of ${start.shard.count} (${start.shard.planned} files over all)`],
		['run', start.runId],
		['started', start.startedAt],
		['baleen', start.version],
		...(end ? summaryLines(end).slice(1).map((line): [string, string] => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]) : []),
	];
	return `<dl class="settings">${rows.filter(([, value]) => value !== undefined).map(([name, value]) => `<dt>${escape(name)}</dt><dd>${escape(value!)}</dd>`).join('')}</dl>`;
}

/**
The report of a run (or of runs merged) as one HTML page: every style and script inlined, nothing
fetched, so that it opens from disk anywhere. The page is drawn here, in full; its script only
filters, searches and opens what is clicked.
*/
export function reportPage(events: readonly RunEvent[], options: PageOptions = {}): string {
	const start = events.find((event): event is RunStart => event.type === 'run-start');
	const end = events.find((event): event is RunEnd => event.type === 'run-end');
	const results = events.flatMap(event => {
		if (event.type !== 'test-end') {
			return [];
		}

		const {schema, type, ...result} = event;
		return [result];
	});
	const fileIds = new Map([...new Set([...results.map(({file}) => file), ...events.flatMap(event => (event.type === 'test-start' ? [event.file] : []))])].map((file, index) => [file, `f${index}`]));
	const timeline = layout(events);
	const ordered = [...results].sort((a, b) => rank(a.status) - rank(b.status) || (a.file < b.file ? -1 : (a.file > b.file ? 1 : 0)));
	const verdict = end ? summaryLines(end)[0]! : 'Unfinished: the run did not end';
	const verdictClass = !end || end.signal ? 'cancelled' : (end.exitCode === 0 ? 'passed' : 'failed');
	const counts = end ? countParts(end.summary) : [];
	const filters = counts.map(({status, text}) => `<label class="filter ${status}"><input type="checkbox" value="${status}" checked> ${escape(text)}</label>`).join(' ');
	const notes = start?.notes?.length ? `<ul class="notes">${start.notes.map(note => `<li>${escape(note)}</li>`).join('')}</ul>` : '';
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>baleen · ${escape(verdict)}</title>
<style>${pageStyle}</style>
</head>
<body>
<header><h1>baleen <span class="verdict ${verdictClass}">${escape(verdict)}</span></h1></header>
<main>
${notes}
<section id="timeline-section"><h2>Timeline</h2>${timelineHtml(timeline, fileIds)}</section>
<section id="critical"><h2>Critical path</h2>${criticalHtml(timeline, fileIds)}</section>
<section id="results"><h2>Files</h2>
<div class="controls"><input type="search" id="search" placeholder="Search files, tests and output" aria-label="Search files, tests and output"> ${filters}</div>
<p id="shown" class="meta"></p>
${filesHtml(ordered, fileIds, options)}</section>
<section id="settings-section"><h2>Run</h2>${start ? settingsHtml(start, end) : ''}</section>
</main>
<script>${pageScript}</script>
</body>
</html>
`;
}
