/**
What the HTML report costs at size: report.html of a made-up run of `--files` files (10,000 by
default) against one of a tenth of them, each drawn by baleen (node) and loaded in headless Chromium
until its first frame, interleaved; the page's size too, and a search typed into the larger one.
Goal: the larger renders in under 2 s, and its size grows linearly (bytes per file alike).
A tenth of the files fail with 4 KiB of output, one in fifty ran twice, on two engines of 16 slots.

    npm run bench -- report [--files 10000] [--rounds 3]
*/
import {statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {schemaVersion, type RunEvent} from '../source/events.js';
import {reportPage} from '../source/report/page.js';
import {launch} from './lib/chromium.js';
import {best, interleave, logTime, median, ratioTable, readOptions, timed} from './lib/measure.js';
import {type Session} from './lib/session.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');

/** A run of `files` files on two engines of `slots` slots each: each slot runs its files one after another. */
export function madeUpRun(files: number, slots = 16): RunEvent[] {
	const engines = ['unix:///var/run/docker.sock', 'ssh://ci@build-2'];
	const lanes = engines.flatMap(engine => Array.from({length: slots}, (_, slot) => ({engine, slot, at: t0})));
	const events: RunEvent[] = [{
		schema: schemaVersion, type: 'run-start', runId: 'bench', startedAt: new Date(t0).toISOString(), total: files, concurrency: lanes.length,
		image: 'shop-tests:ci', engine: engines.join(', '), engines: engines.map(name => ({name, slots})), command: 'npx vitest run {file}', version: 'bench',
	}];
	const output = `${'expected 495 to equal 0\n    at test (file:///suite/delivery.test.ts:12:9)\n'.repeat(50)}`.slice(0, 4096);
	for (let index = 0; index < files; index++) {
		const file = `packages/shop-${index % 40}/test/feature-${String(index).padStart(5, '0')}.test.ts`;
		const fails = index % 10 === 3;
		const retried = index % 50 === 7;
		const attempts = retried ? 2 : 1;
		for (let attempt = 1; attempt <= attempts; attempt++) {
			const lane = lanes[(index + attempt) % lanes.length]!;
			const durationMs = 500 + ((index * 7919) % 9000);
			const containerId = `${index.toString(16).padStart(8, '0')}${attempt}`.padEnd(64, 'c');
			events.push({schema: schemaVersion, type: 'test-start', file, containerId, at: lane.at + 300, attempt, maxAttempts: 2, engine: lane.engine, slot: lane.slot});
			lane.at += durationMs;
			const result = {
				file, exitCode: fails ? 1 : 0, durationMs, endedAt: lane.at, stdout: fails ? output : '', stderr: '', stdoutBytes: fails ? 4096 : 1200, stderrBytes: 0, containerId, engine: lane.engine,
			};
			events.push(attempt < attempts
				? {schema: schemaVersion, type: 'test-retry', ...result, status: 'failed', exitCode: 1, attempt, maxAttempts: 2}
				: {schema: schemaVersion, type: 'test-end', ...result, status: fails ? 'failed' : (retried ? 'flaky' : 'passed'), attempts});
		}
	}

	const failed = Math.floor((files + 6) / 10);
	events.push({
		schema: schemaVersion, type: 'run-end', runId: 'bench', durationMs: Math.max(...lanes.map(lane => lane.at)) - t0, testDurationMs: 0, exitCode: 1,
		summary: {total: files, passed: files - failed - Math.floor((files + 42) / 50), flaky: Math.floor((files + 42) / 50), failed, timedOut: 0, errored: 0, cancelled: 0},
	});
	return events;
}

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, rounds} = readOptions(args, {files: 10_000, concurrency: 32, rounds: 3});
	const sizes = [Math.max(1, Math.round(files / 10)), files];
	const folder = bench.folder({});
	const pages = sizes.map(size => {
		const events = madeUpRun(size);
		let text = '';
		const drawMs = best(Array.from({length: 3}, () => {
			const started = performance.now();
			text = reportPage(events);
			return performance.now() - started;
		}));
		const file = path.join(folder, `report-${size}.html`);
		writeFileSync(file, text);
		return {size, file, bytes: statSync(file).size, drawMs};
	});
	console.log(`report bench ${bench.id}: ${sizes.join(' and ')} files, ${rounds} rounds`);
	for (const {size, bytes, drawMs} of pages) {
		console.log(`${String(size).padStart(6)} files: report.html ${(bytes / 1024 / 1024).toFixed(2)} MiB (${Math.round(bytes / size)} bytes a file), drawn by baleen in ${drawMs.toFixed(0)} ms`);
	}

	const browser = await launch();
	bench.defer(async () => browser.close());
	const page = await browser.page();
	await page.resize(1280, 900);
	const name = (size: number) => `load ${size} files`;
	const times = await interleave(pages.map(({size, file}) => ({
		name: name(size),
		run: async () => page.load(pathToFileURL(file).href),
	})), rounds, logTime);
	console.log(`\n${ratioTable(times, name(sizes[0]!))}`);

	await page.load(pathToFileURL(pages[1]!.file).href);
	// Where the load's time went (Chromium's counters of the document, in seconds).
	const metrics = await page.metrics();
	const elements = await page.evaluate<number>('document.getElementsByTagName("*").length');
	const spent = (name: string) => `${Math.round(1000 * (metrics[`${name}Duration`] ?? 0))} ms`;
	const where = `busy ${spent('Task')}: style ${spent('RecalcStyle')}, layout ${spent('Layout')}, script ${spent('Script')}, the rest (parsing, painting) ${Math.round(1000 * ((metrics.TaskDuration ?? 0) - (metrics.RecalcStyleDuration ?? 0) - (metrics.LayoutDuration ?? 0) - (metrics.ScriptDuration ?? 0)))} ms; ${elements} elements`;
	await page.click('#search');
	const searchMs = await timed(async () => {
		await page.type('feature-0420');
		await page.evaluate('new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
	});
	const shown = await page.evaluate<number>('document.querySelectorAll("#files li.file:not([hidden])").length');
	const [small, large] = pages;
	console.log(`\nsize: ${(large!.bytes / small!.bytes).toFixed(2)} × for ${(large!.size / small!.size).toFixed(0)} × the files; bytes a file ${Math.round(small!.bytes / small!.size)} and ${Math.round(large!.bytes / large!.size)}`);
	console.log(`load of ${large!.size} files: ${where}`);
	console.log(`search in ${large!.size} files: ${searchMs.toFixed(0)} ms to the frame after typing 12 characters (${shown} shown)`);
	const loadMs = median(times.get(name(large!.size))!);
	console.log(`goal: ${large!.size} files render in under 2 s in Chromium: ${loadMs < 2000 ? 'met' : 'NOT met'} (median ${(loadMs / 1000).toFixed(2)} s)`);
}
