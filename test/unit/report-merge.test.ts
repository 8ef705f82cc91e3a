import assert from 'node:assert/strict';
import {
	existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {after, describe, test} from 'node:test';
import {NEVER, from} from 'rxjs';
import {report} from '../../source/commands/report.js';
import {BaleenError} from '../../source/errors.js';
import {schemaVersion, type RunEnd, type RunEvent, type RunStart, type TestEnd} from '../../source/events.js';
import {mergeRuns, missingError, type Source} from '../../source/report/merge.js';
import {reportPage} from '../../source/report/page.js';
import {htmlReporter} from '../../source/reporters/html.js';
import {runStart, t0, testEnd} from '../helpers/fixtures.js';

const plan = ['a', 'b', 'c', 'd'];

/** The folders the tests write in, removed at the end. */
const made: string[] = [];
const folder = (prefix = 'baleen-report-unit-') => {
	const directory = mkdtempSync(path.join(tmpdir(), prefix));
	made.push(directory);
	return directory;
};

after(() => {
	for (const each of made) {
		rmSync(each, {recursive: true, force: true});
	}
});

function shard(index: number, files: Array<[string, TestEnd['status']]>, {startMs = 0, digest = 'same', count = 3} = {}): Source {
	const start: RunStart = {...runStart(files.length, 1), runId: `r${index}`, startedAt: new Date(t0 + startMs).toISOString(), shard: {index, count, planned: plan.length, digest, files: plan}};
	const tests = files.flatMap(([file, status], position): RunEvent[] => [
		{schema: schemaVersion, type: 'test-start', file, containerId: `${index}-${file}`, at: t0 + startMs + (100 * position), attempt: 1, maxAttempts: 1, slot: 0},
		testEnd(file, status, 100, {endedAt: t0 + startMs + (100 * (position + 1)), containerId: `${index}-${file}`}),
	]);
	const end: RunEnd = {schema: schemaVersion, type: 'run-end', runId: `r${index}`, durationMs: 100 * files.length, testDurationMs: 0, exitCode: 0, summary: {total: 0, passed: 0, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0}};
	return {name: `out-${index}`, events: [start, ...tests, end]};
}

const ends = (events: readonly RunEvent[]) => events.filter((event): event is TestEnd => event.type === 'test-end');
const startOf = (events: readonly RunEvent[]) => events[0] as RunStart;
const endOf = (events: readonly RunEvent[]) => events.at(-1) as RunEnd;

describe('baleen report: merging runs', () => {
	test('shards planned alike: every file once, the engines named after their shard, counted afresh', () => {
		const {events, problems} = mergeRuns([shard(2, [['b', 'passed']]), shard(1, [['a', 'passed'], ['c', 'failed']], {startMs: -50}), shard(3, [['d', 'passed']])]);
		assert.deepEqual(problems, {duplicates: [], missing: [], absentShards: [], plans: []});
		assert.deepEqual(ends(events).map(({file, status, attempts}) => [file, status, attempts]), [['a', 'passed', 1], ['c', 'failed', 1], ['b', 'passed', 1], ['d', 'passed', 1]]);
		assert.equal(startOf(events).startedAt, new Date(t0 - 50).toISOString(), 'from the first shard\'s start');
		assert.deepEqual(startOf(events).engines?.map(({name}) => name), ['shard 1/3: unix:///var/run/docker.sock', 'shard 2/3: unix:///var/run/docker.sock', 'shard 3/3: unix:///var/run/docker.sock']);
		assert.deepEqual(events.flatMap(event => (event.type === 'test-start' ? [event.engine] : [])), ['shard 1/3: unix:///var/run/docker.sock', 'shard 1/3: unix:///var/run/docker.sock', 'shard 2/3: unix:///var/run/docker.sock', 'shard 3/3: unix:///var/run/docker.sock']);
		assert.deepEqual(endOf(events).summary, {total: 4, passed: 3, flaky: 0, failed: 1, timedOut: 0, errored: 0, cancelled: 0});
		assert.equal(endOf(events).exitCode, 1);
		assert.equal(endOf(events).durationMs, 200, 'from the first start (shard 1, at -50) to the last end (its 200 ms later)');
	});

	test('a file two shards ran is named, and told as one file run twice: the later run counts, a pass after a failure is flaky', () => {
		const {events, problems} = mergeRuns([shard(1, [['a', 'failed'], ['b', 'passed']], {digest: 'x'}), shard(2, [['a', 'passed'], ['c', 'passed']], {startMs: 1000, digest: 'y'}), shard(3, [['d', 'passed']], {digest: 'y'})]);
		assert.deepEqual(problems.duplicates, [{file: 'a', runs: ['shard 1/3', 'shard 2/3']}]);
		assert.deepEqual(problems.plans, [{digest: 'x', runs: ['shard 1/3']}, {digest: 'y', runs: ['shard 3/3', 'shard 2/3']}]);
		const a = events.flatMap((event): Array<[string, number]> => {
			if (event.type === 'test-end') {
				return event.file === 'a' ? [[event.type, event.attempts]] : [];
			}

			return (event.type === 'test-start' || event.type === 'test-retry') && event.file === 'a' ? [[event.type, event.attempt]] : [];
		});
		assert.deepEqual(a, [['test-start', 1], ['test-retry', 1], ['test-start', 2], ['test-end', 2]]);
		const last = ends(events).find(({file}) => file === 'a')!;
		assert.equal(last.status, 'flaky');
		assert.deepEqual(last.earlier?.map(({status}) => status), ['failed']);
		assert.equal(endOf(events).summary.total, 4);
		const notes = startOf(events).notes!.join('\n');
		assert.match(notes, /^a ran in shard 1\/3 and shard 2\/3: the last run's result counts$/m);
		assert.match(notes, /planned from different files or timings \(shard 1\/3: x; shard 3\/3, shard 2\/3: y\)/);
	});

	test('files of the plan that no shard given ran are named, and fail the merged run; so is the shard not given', () => {
		const {events, problems} = mergeRuns([shard(1, [['a', 'passed'], ['c', 'passed']]), shard(3, [['d', 'passed']])]);
		assert.deepEqual(problems.missing, ['b']);
		assert.deepEqual(problems.absentShards, ['2/3']);
		assert.deepEqual(ends(events).find(({file}) => file === 'b'), {...testEnd('b', 'error', 0, {error: missingError, attempts: 0})});
		assert.equal(endOf(events).exitCode, 1);
		assert.match(startOf(events).notes!.join('\n'), /no run of shard 2\/3 was given[\s\S]*1 file of the plan ran in no shard given: b/);
	});

	test('the merged page has each shard\'s lanes and a bar per container', () => {
		const {events} = mergeRuns([shard(1, [['a', 'passed'], ['c', 'failed']]), shard(2, [['b', 'passed']])]);
		const page = reportPage(events);
		assert.deepEqual([...page.matchAll(/data-container="([^"]+)"/g)].map(match => match[1]).sort(), ['1-a', '1-c', '2-b']);
		assert.deepEqual([...page.matchAll(/<span class="lane-name"[^>]*>([^<]+)</g)].map(match => match[1]).slice(1), ['shard 1/3: unix:///var/run/docker.sock · 0', 'shard 2/3: unix:///var/run/docker.sock · 0']);
		assert.ok(page.indexOf('id="f1"') < page.indexOf('id="f0"'), 'the failure (c) listed before the pass (a)');
		assert.doesNotMatch(page, /<script src|<link|@import|url\(/, 'nothing fetched');
	});

	test('a file name is text, never markup', () => {
		const {events} = mergeRuns([shard(1, [['<img src=x onerror=alert(1)>.sh', 'failed']])]);
		assert.doesNotMatch(reportPage(events), /<img src=x/);
	});
});

describe('baleen report: bad input is one line, exit 2, nothing written', () => {
	const streams = () => {
		const stdout = Object.assign(new PassThrough(), {isTTY: false});
		const stderr = Object.assign(new PassThrough(), {isTTY: false});
		return {stdout, stderr} as unknown as {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream};
	};

	const lines = (events: readonly RunEvent[]) => events.map(event => `${JSON.stringify(event)}\n`).join('');
	// A run of its own, no shard: nothing of a plan is missing.
	const good = {...shard(1, [['a', 'passed']]), events: shard(1, [['a', 'passed']]).events.map(event => (event.type === 'run-start' ? {...event, shard: undefined} : event))};

	async function refused(inputs: string[], cwd: string, out = 'out'): Promise<string> {
		const error = await report({inputs, outputDir: out, cwd}, streams()).then(() => undefined, (problem: unknown) => problem);
		assert.ok(error instanceof BaleenError, `refused: ${String(error)}`);
		assert.equal(error.exitCode, 2);
		assert.doesNotMatch(error.message, /\n/, 'one line');
		return error.message;
	}

	test('a folder that is not a baleen output', async () => {
		const cwd = folder();
		mkdirSync(path.join(cwd, 'other'));
		assert.equal(await refused(['other'], cwd), 'other is not a baleen output folder: it holds no events.jsonl');
		assert.equal(existsSync(path.join(cwd, 'out')), false, 'no OUT made');
	});

	test('an events file cut short by a killed run: mid-line, or with no run-end', async () => {
		const cwd = folder();
		const text = lines(good.events);
		writeFileSync(path.join(cwd, 'mid.jsonl'), text.slice(0, -20));
		writeFileSync(path.join(cwd, 'no-end.jsonl'), lines(good.events.slice(0, -1)));
		assert.equal(await refused(['mid.jsonl'], cwd), 'mid.jsonl is cut short: its last line ends mid-event (was the run killed?)');
		assert.equal(await refused(['no-end.jsonl'], cwd), 'no-end.jsonl is cut short: it has no run-end, 1 of 1 files ended (was the run killed?)');
	});

	test('schema 1 events, an older baleen\'s', async () => {
		const cwd = folder();
		writeFileSync(path.join(cwd, 'old.jsonl'), lines(good.events).replaceAll('"schema":2', '"schema":1'));
		assert.equal(await refused(['old.jsonl'], cwd), 'old.jsonl holds schema 1 events (an older baleen\'s); this one reads schema 2: run the suite again with it');
	});

	test('an OUT that holds anything is left as it was; none given is asked for', async () => {
		const cwd = folder();
		writeFileSync(path.join(cwd, 'good.jsonl'), lines(good.events));
		mkdirSync(path.join(cwd, 'out'));
		writeFileSync(path.join(cwd, 'out', 'report.html'), 'mine');
		assert.match(await refused(['good.jsonl'], cwd), /^--output-dir out is not empty/);
		assert.deepEqual(readdirSync(path.join(cwd, 'out')), ['report.html']);
		assert.equal(readFileSync(path.join(cwd, 'out', 'report.html'), 'utf8'), 'mine');
		const error = await report({inputs: ['good.jsonl'], cwd}, streams()).catch((problem: unknown) => problem as Error);
		assert.match((error as Error).message, /^report needs --output-dir OUT/);
	});

	test('a good events file: OUT gets the report, the JSON lines and the JUnit; the exit code is the merged run\'s', async () => {
		const cwd = folder();
		writeFileSync(path.join(cwd, 'good.jsonl'), lines(good.events));
		assert.equal(await report({inputs: ['good.jsonl'], outputDir: 'out', cwd}, streams()), 0);
		assert.deepEqual(readdirSync(path.join(cwd, 'out')).sort(), ['events.jsonl', 'junit.xml', 'report.html']);
	});
});

describe('--html FILE: the reporter of a run', () => {
	test('writes the page once the run ends, with a bar per container and the failures\' output from the events when nothing else kept it', async () => {
		const file = path.join(folder('baleen-html-'), 'deep', 'report.html');
		const {events} = shard(1, [['a', 'passed'], ['b', 'failed']]);
		const withOutput = events.map(event => (event.type === 'test-end' && event.file === 'b' ? {...event, stdout: 'expected <1> to be 2\n', stdoutBytes: 21} : event));
		const {written} = await htmlReporter(file)(from(withOutput), {cancel$: NEVER});
		await written;
		const page = readFileSync(file, 'utf8');
		assert.deepEqual([...page.matchAll(/data-container="([^"]+)"/g)].map(match => match[1]).sort(), ['1-a', '1-b']);
		assert.match(page, /expected &lt;1&gt; to be 2/);
	});

	test('a run that never started writes none', async () => {
		const file = path.join(folder('baleen-html-'), 'report.html');
		const {written} = await htmlReporter(file)(from([]), {cancel$: NEVER});
		await written;
		assert.equal(existsSync(file), false);
	});
});
