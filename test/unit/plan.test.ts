import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {describe, test} from 'node:test';
import {Subject, lastValueFrom, toArray} from 'rxjs';
import {dockerBackend} from '../../source/backends/docker/backend.js';
import {BaleenError} from '../../source/errors.js';
import type {RunEvent} from '../../source/events.js';
import {resolveRunOptions} from '../../source/options/resolve.js';
import type {RunOptions} from '../../source/options/types.js';
import {listedFiles, readFileList} from '../../source/plan/file-list.js';
import {
	historyFiles, readLastRun, readTimings, recordLastRun, recordRun, recordTimings,
} from '../../source/plan/history.js';
import {select} from '../../source/plan/select.js';
import {splitDigest} from '../../source/plan/shard.js';
import {startParts} from '../../source/words/lines.js';
import {historyReporter} from '../../source/reporters/history.js';
import {run} from '../../source/run/run.js';
import {FakeEngine} from '../helpers/fake-engine.js';
import {folder} from '../helpers/folder.js';
import {runStart, testEnd} from '../helpers/fixtures.js';

const usage = (pattern: RegExp) => (error: unknown) => error instanceof BaleenError && pattern.test(error.message);

describe('select: from the files found to the ones this run starts, in order', () => {
	const found = ['a.sh', 'slow/b.sh', 'slow/c.sh', 'd.sh', 'e.sh'];

	test('longest first by the timings, the mean for a file never timed; by name without timings', () => {
		assert.deepEqual(select(found, {exclude: [], timings: {}}), {files: [...found].sort(), notes: []});
		const {files, expectedMs} = select(found, {exclude: [], timings: {'e.sh': 5000, 'a.sh': 100, 'd.sh': 900, gone: 1}});
		assert.deepEqual(files, ['e.sh', 'slow/b.sh', 'slow/c.sh', 'd.sh', 'a.sh']);
		assert.deepEqual(expectedMs, {'a.sh': 100, 'slow/b.sh': 2000, 'slow/c.sh': 2000, 'd.sh': 900, 'e.sh': 5000});
	});

	test('--exclude: globs, folders and files; leaving out everything is a usage error', () => {
		assert.deepEqual(select(found, {exclude: ['slow'], timings: {}}).files, ['a.sh', 'd.sh', 'e.sh']);
		assert.deepEqual(select(found, {exclude: ['**/c.sh', 'a.sh'], timings: {}}).files, ['d.sh', 'e.sh', 'slow/b.sh']);
		assert.throws(() => select(found, {exclude: ['**/*.sh'], timings: {}}), usage(/^--exclude \*\*\/\*\.sh leaves out all 5 files found$/));
	});

	test('--last-failed: only the files that did not pass; none recorded is a usage error; none failed is a run with nothing to do', () => {
		const where = '/p/.baleen/last-run.json';
		const lastFailed = (notPassed: string[]) => ({run: {at: '2026-11-30T05:00:00.000Z', notPassed}, where});
		assert.deepEqual(select(found, {exclude: [], timings: {}, lastFailed: lastFailed(['d.sh', 'a.sh', 'deleted.sh'])}).files, ['a.sh', 'd.sh']);
		assert.throws(() => select(found, {exclude: [], timings: {}, lastFailed: {run: undefined, where}}), usage(/no earlier run of this project is recorded in \/p\/\.baleen\/last-run\.json/));
		const nothing = select(found, {exclude: [], timings: {}, lastFailed: lastFailed(['deleted.sh'])});
		assert.deepEqual(nothing.files, []);
		assert.match(nothing.notes[0]!, /^--last-failed: nothing to re-run/);
	});

	test('--shard: its share of what --exclude leaves, with the plan of the split; a shard with no file is a run with nothing to do', () => {
		const {files, shard} = select(found, {exclude: ['slow'], shard: {index: 2, count: 2}, timings: {}});
		assert.deepEqual(files, ['d.sh']);
		assert.deepEqual(shard, {index: 2, count: 2, planned: 3, digest: splitDigest(['a.sh', 'd.sh', 'e.sh'], {}), files: ['a.sh', 'd.sh', 'e.sh']});
		const empty = select(['a.sh'], {exclude: [], shard: {index: 2, count: 2}, timings: {}});
		assert.deepEqual(empty, {files: [], notes: ['shard 2/2 has no file to run: 1 file over 2 shards'], shard: {index: 2, count: 2, planned: 1, digest: splitDigest(['a.sh'], {}), files: ['a.sh']}});
	});

	test('--shard with --last-failed: the whole list is split first, the same for every shard; each keeps its own files that did not pass', () => {
		const timings = {'a.sh': 100, 'd.sh': 900, 'e.sh': 5000};
		const lastFailed = {run: {at: 'then', notPassed: ['a.sh', 'e.sh', 'slow/c.sh']}, where: '/p/.baleen/last-run.json'};
		const shards = [1, 2].map(index => select(found, {exclude: [], shard: {index, count: 2}, timings, lastFailed}));
		const whole = [1, 2].map(index => select(found, {exclude: [], shard: {index, count: 2}, timings}));
		for (const [position, {files}] of shards.entries()) {
			assert.deepEqual([...files].sort(), whole[position]!.files.filter(file => lastFailed.run.notPassed.includes(file)).sort(), `shard ${position + 1}: its own failures`);
		}

		assert.deepEqual(shards.flatMap(({files}) => files).sort(), ['a.sh', 'e.sh', 'slow/c.sh']);
		assert.deepEqual(shards.map(({shard}) => shard), whole.map(({shard}) => shard), 'the same plan as the shards of the whole list');
		const passed = select(found, {exclude: [], shard: {index: 1, count: 2}, timings, lastFailed: {...lastFailed, run: {at: 'then', notPassed: ['d.sh']}}});
		assert.equal(whole[0]!.files.includes('d.sh'), false);
		assert.deepEqual(passed.files, []);
		assert.match(passed.notes[0]!, /^--last-failed: nothing to re-run in shard 1\/2, every file passed when it last ran \(then\)$/);
	});
});

test('!GLOB among the patterns is an --exclude, beside those given as such', () => {
	const options = resolveRunOptions({patterns: ['**/*.sh', '!slow/**'], exclude: ['x.sh'], image: 'i', command: 'c', cwd: '/p'});
	assert.deepEqual(options.patterns, ['**/*.sh']);
	assert.deepEqual(options.exclude, ['x.sh', 'slow/**']);
	assert.deepEqual(options.history, historyFiles('/p', 'default'));
	assert.equal(resolveRunOptions({patterns: [], image: 'i', command: 'c', cwd: '/p', project: 'cart', timings: 'ci/t.json'}).history.lastRun, '/p/ci/last-run.json');
});

describe('- reads the list of files from stdin', () => {
	const stdin = (text: string, isTTY = false) => Object.assign(Readable.from([Buffer.from(text)]), {isTTY});

	test('one a line, or NUL-separated', async () => {
		assert.deepEqual(await readFileList(['-'], stdin('a.sh\r\nb c.sh\n\na.sh\n')), ['a.sh', 'b c.sh']);
		assert.deepEqual(await readFileList(['-'], stdin('a\nb.sh\0c.sh\0')), ['a\nb.sh', 'c.sh']);
		assert.equal(await readFileList(['*.sh'], stdin('')), undefined, 'no -: patterns as usual');
	});

	test('- must be the only pattern, stdin not a terminal, the list not empty', async () => {
		await assert.rejects(readFileList(['-', '*.sh'], stdin('a')), usage(/must be the only pattern/));
		await assert.rejects(readFileList(['-'], stdin('a', true)), usage(/stdin is a terminal/));
		await assert.rejects(readFileList(['-'], stdin('\n\n')), usage(/^the list of files on stdin is empty$/));
	});

	test('the files listed must be there, and are taken from the current folder', () => {
		const root = folder({'a.sh': '', 'sub/b.sh': ''});
		assert.deepEqual(listedFiles(['./a.sh', `${root}/sub/b.sh`, 'a.sh'], root), ['a.sh', 'sub/b.sh']);
		assert.throws(() => listedFiles(['a.sh', 'gone.sh', 'sub'], root), usage(/names 2 files not found in .*: gone\.sh, sub$/));
	});
});

describe('the history reporter', () => {
	const history = () => historyFiles(mkdtempSync(path.join(tmpdir(), 'baleen-plan-')), 'cart');

	test('at the end: the times of files that ran to an end, merged; what did not pass (flaky passed), merged with files this run did not run', async () => {
		const where = history();
		recordTimings(where.timings, 'cart', {'old.sh': 7, 'b.sh': 1});
		recordLastRun(where.lastRun, 'cart', {at: 'then', notPassed: ['a.sh', 'other.sh']});
		const events$ = new Subject<RunEvent>();
		const report = historyReporter(where, () => assert.fail('no warning'))(events$, {cancel$: new Subject()});
		for (const event of [
			runStart(6), testEnd('a.sh', 'passed', 100), testEnd('b.sh', 'failed', 200), testEnd('c.sh', 'timed-out', 300),
			testEnd('d.sh', 'error', 5), testEnd('e.sh', 'cancelled', 0), testEnd('f.sh', 'flaky', 400),
		]) {
			events$.next(event);
		}

		events$.complete();
		await (await report).written;
		assert.deepEqual(readTimings(where.timings, 'cart'), {'old.sh': 7, 'a.sh': 100, 'b.sh': 200, 'c.sh': 300, 'f.sh': 400});
		assert.deepEqual(readLastRun(where.lastRun, 'cart')?.notPassed, ['b.sh', 'c.sh', 'd.sh', 'e.sh', 'other.sh'], 'a flaky file passed');
	});

	test('a forced stop writes what finished; a run that never started writes nothing; a file it cannot write is a warning', async () => {
		const where = history();
		const events$ = new Subject<RunEvent>();
		const report = await historyReporter(where, () => undefined)(events$, {cancel$: new Subject()});
		events$.next(runStart(2));
		events$.next(testEnd('a.sh', 'passed', 100));
		report.forced?.();
		assert.deepEqual(readTimings(where.timings, 'cart'), {'a.sh': 100});

		const never = history();
		const failed$ = new Subject<RunEvent>();
		const failed = await historyReporter(never, () => undefined)(failed$, {cancel$: new Subject()});
		failed$.error(new BaleenError('no image'));
		await failed.written;
		assert.throws(() => readFileSync(never.timings), /ENOENT/);

		const warnings: string[] = [];
		const blocked = historyFiles(path.join(folder({file: ''}), 'file'), 'cart');
		const done$ = new Subject<RunEvent>();
		const done = await historyReporter(blocked, line => warnings.push(line))(done$, {cancel$: new Subject()});
		done$.next(runStart(1));
		done$.complete();
		await done.written;
		assert.match(warnings.join('\n'), /^could not record this run's timings and failures: /);
	});
});

describe('a run planned from its history (fake engine)', () => {
	const suiteOf = (...files: string[]) => folder(Object.fromEntries(files.map(file => [file, ''])));
	const runIn = async (cwd: string, extra: Partial<RunOptions>, engine = new FakeEngine()) => {
		const events = await lastValueFrom(run({patterns: ['*.sh'], image: 'shell', command: 'sh {file}', cwd, runId: 'unit', concurrency: 1, ...extra}, {backend: dockerBackend(engine)}).pipe(toArray()));
		return {events, engine};
	};

	test('starts the longest file first, says the shard, and carries each file\'s expected time on run-start', async () => {
		const cwd = suiteOf('a.sh', 'b.sh', 'c.sh', 'z.sh');
		recordTimings(historyFiles(cwd, 'default').timings, 'default', {'z.sh': 9000, 'a.sh': 10, 'b.sh': 20, 'c.sh': 30});
		const {events} = await runIn(cwd, {shard: '1/2'});
		const [start] = events;
		assert.ok(start?.type === 'run-start');
		assert.deepEqual(start.shard, {index: 1, count: 2, planned: 4, digest: splitDigest(['a.sh', 'b.sh', 'c.sh', 'z.sh'], {'z.sh': 9000, 'a.sh': 10, 'b.sh': 20, 'c.sh': 30}), files: ['a.sh', 'b.sh', 'c.sh', 'z.sh']});
		assert.deepEqual(start.expectedMs, {'z.sh': 9000});
		assert.deepEqual(events.filter(event => event.type === 'test-start').map(event => event.file), ['z.sh']);
		const {events: other} = await runIn(cwd, {shard: '2/2'});
		assert.deepEqual(other.filter(event => event.type === 'test-start').map(event => event.file), ['c.sh', 'b.sh', 'a.sh']);
	});

	test('a shard splits by timings.json alone; a run without --shard orders by the shards\' records too', async () => {
		const cwd = suiteOf('a.sh', 'b.sh', 'c.sh', 'z.sh');
		const history = historyFiles(cwd, 'default');
		recordTimings(history.timings, 'default', {'z.sh': 9000, 'a.sh': 10, 'b.sh': 20, 'c.sh': 30});
		const before = await runIn(cwd, {shard: '2/2'});
		// What shard 1 would record: the files it did not run taking 9 s each would change the split if a shard read it.
		recordRun(historyFiles(cwd, 'default', undefined, {index: 1, count: 2}), {'a.sh': {at: 'now', status: 'passed', ms: 20_000}});
		const after = await runIn(cwd, {shard: '2/2'});
		const startsOf = (events: RunEvent[]) => events.filter(event => event.type === 'test-start').map(event => event.file);
		assert.deepEqual(startsOf(after.events), startsOf(before.events));
		assert.deepEqual(after.events[0]?.type === 'run-start' && after.events[0].shard, before.events[0]?.type === 'run-start' && before.events[0].shard);
		const listed = await runIn(cwd, {shard: '2/2', patterns: [], files: ['z.sh', 'c.sh', './b.sh', 'a.sh']});
		assert.deepEqual(startsOf(listed.events), startsOf(before.events), 'a list of files is split the same way');
		const whole = await runIn(cwd, {});
		assert.deepEqual(startsOf(whole.events), ['a.sh', 'z.sh', 'c.sh', 'b.sh']);
	});

	test('nothing to re-run: run-start with no file and a note, run-end exit 0, and the engine never asked', async () => {
		const cwd = suiteOf('a.sh');
		recordLastRun(historyFiles(cwd, 'default').lastRun, 'default', {at: 'then', notPassed: []});
		const {events, engine} = await runIn(cwd, {lastFailed: true});
		assert.deepEqual(events.map(event => event.type), ['run-start', 'run-end']);
		assert.ok(events[0]?.type === 'run-start' && events[0].total === 0 && /nothing to re-run/.test(events[0].notes?.[0] ?? ''));
		assert.ok(events[1]?.type === 'run-end' && events[1].exitCode === 0);
		assert.deepEqual(engine.calls, []);
	});
});

test('the view and the log say the shard with the count of files', () => {
	assert.equal(startParts({...runStart(3), shard: {index: 2, count: 4, planned: 11, digest: 'd'}}).files, '3 files (shard 2/4)');
	assert.equal(startParts(runStart(1)).files, '1 file');
});
