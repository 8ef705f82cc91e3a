import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {concat, ignoreElements, map, of, timer} from 'rxjs';
import {pickMode} from '../../source/reporters/mode.js';
import {colorLevel} from '../../source/ui/color.js';
import {remainingMs} from '../../source/ui/eta.js';
import {frames} from '../../source/ui/frames.js';
import {bar, progressText} from '../../source/ui/progress.js';
import {pathColumnWidth, runningRowParts} from '../../source/ui/running-row.js';
import {spinnerFrame} from '../../source/ui/spinner.js';
import {fitStart, textWidth, truncateEnd, truncateStart} from '../../source/ui/text.js';
import {
	runStart, stateOf, t0, testEnd, testOutput, testStart,
} from '../helpers/fixtures.js';
import {testScheduler} from '../helpers/scheduler.js';

describe('truncation to terminal columns', () => {
	it('keeps text that fits as it is', () => {
		assert.equal(truncateEnd('abc', 3), 'abc');
		assert.equal(truncateStart('abc', 3), 'abc');
	});

	it('cuts the end, or the start, and marks the cut with an ellipsis', () => {
		assert.equal(truncateEnd('abcdef', 4), 'abc…');
		assert.equal(truncateStart('dir/sub/file.sh', 9), '…/file.sh');
	});

	it('counts wide characters as two columns and never splits one', () => {
		assert.equal(truncateEnd('日本語です', 6), '日本…');
		assert.equal(textWidth(truncateEnd('日本語です', 6)), 5);
		assert.equal(truncateStart('テスト.sh', 6), '…ト.sh');
	});

	it('gives nothing for no room, and pads to an exact width', () => {
		assert.equal(truncateEnd('abc', 0), '');
		assert.equal(fitStart('a.sh', 6), 'a.sh  ');
		assert.equal(fitStart('long/a.sh', 6), '…/a.sh');
	});
});

describe('progress bar string', () => {
	it('fills in proportion, rounding down so a bar is full only when all is done', () => {
		assert.equal(bar(0, 10, 10), '░░░░░░░░░░');
		assert.equal(bar(3, 10, 10), '███░░░░░░░');
		assert.equal(bar(99, 100, 10), '█████████░');
		assert.equal(bar(10, 10, 10), '██████████');
	});

	it('is empty for an empty run or no width', () => {
		assert.equal(bar(0, 0, 4), '░░░░');
		assert.equal(bar(1, 2, 0), '');
	});
});

describe('time left', () => {
	it('is unknown before any file finished', () => {
		const state = stateOf([runStart(10, 2), testStart('a', 0)]);
		assert.equal(remainingMs(state, t0 + 500), undefined);
	});

	it('spreads the files left, at the mean duration, over the slots', () => {
		// 2 done at 1 s each; 8 left, 2 at once: 4 s. None running.
		const state = stateOf([runStart(10, 2), testEnd('a', 'passed', 1000), testEnd('b', 'failed', 1000)]);
		assert.equal(remainingMs(state, t0 + 1000), 4000);
	});

	it('counts what running files should still need', () => {
		// Mean 1 s; c has run 0.5 s (0.5 s to go), 7 wait: (7 + 0.5) s over 2 slots.
		const state = stateOf([runStart(10, 2), testEnd('a', 'passed', 1000), testEnd('b', 'passed', 1000), testStart('c', 1000)]);
		assert.equal(remainingMs(state, t0 + 1500), 3750);
	});

	it('leaves cancelled files out of the mean, and is 0 when all are done', () => {
		const cancelled = stateOf([runStart(3, 1), testEnd('a', 'passed', 2000), testEnd('b', 'cancelled', 1)]);
		assert.equal(remainingMs(cancelled, t0), 2000);
		const done = stateOf([runStart(1, 1), testEnd('a', 'passed', 2000)]);
		assert.equal(remainingMs(done, t0), 0);
	});

	it('is unknown when only files that ran past the mean are left', () => {
		const state = stateOf([runStart(2, 2), testEnd('a', 'passed', 1000), testStart('b', 0)]);
		assert.equal(remainingMs(state, t0 + 400), 600);
		assert.equal(remainingMs(state, t0 + 5000), undefined);
	});

	it('with timings from earlier runs: the expected work left over the slots, at least what the longest running file still needs', () => {
		const start = {...runStart(4, 2), expectedMs: {long: 6000, a: 1000, b: 1000, c: 1000}};
		assert.equal(remainingMs(stateOf([start]), t0), 4500, 'before anything ran: 9 s over 2 slots');
		// Long has run 1 s (5 s to go), a is done, b runs (1 s to go), c waits: 7 s over 2 slots, but long alone needs 5 s.
		const state = stateOf([start, testStart('long', 0), testStart('a', 0), testEnd('a', 'passed', 900), testStart('b', 1000)]);
		assert.equal(remainingMs(state, t0 + 1000), 5000);
		assert.equal(remainingMs(state, t0 + 7000), 500, 'files past their time count as ending now: c\'s 1 s is left, over 2 slots');
	});

	it('is left out of the progress words while cancelling', () => {
		const state = stateOf([runStart(4, 2), testEnd('a', 'passed', 1000)]);
		assert.equal(progressText(state, t0 + 2000, false), '1/4  2.0s  ~1.5s left');
		assert.equal(progressText(state, t0 + 2000, true), '1/4  2.0s');
	});
});

describe('running row parts', () => {
	const test = {file: 'test/deep/dir/a.sh', containerId: '0123456789abcdef', startedAt: t0, lastLine: 'step 2 of 3: compiling', attempt: 1, maxAttempts: 1};

	it('shows path, short id, elapsed and the output on a wide line', () => {
		const parts = runningRowParts(test, t0 + 1500, 80, 18);
		assert.deepEqual({...parts, spinner: undefined}, {
			spinner: undefined, path: 'test/deep/dir/a.sh', id: '0123456789ab', retry: false, elapsed: '  1.5s', output: 'step 2 of 3: compiling',
		});
	});

	it('shows a retry\'s attempt where the id goes; an attempt lost to the engine beyond the count shows no count', () => {
		const second = runningRowParts({...test, attempt: 2, maxAttempts: 3}, t0 + 1500, 80, 18);
		assert.deepEqual([second.id, second.retry], ['attempt 2/3', true]);
		assert.equal(runningRowParts({...test, attempt: 2, maxAttempts: 1}, t0 + 1500, 80, 18).id, 'attempt 2');
	});

	it('drops the id and cuts the path from the start on a narrow line', () => {
		const parts = runningRowParts(test, t0 + 1500, 40, pathColumnWidth([test], 40));
		assert.equal(parts.id, '');
		assert.equal(parts.path, 'test/deep/dir/a.sh');
		assert.equal(parts.output, 'step 2 of …');
		const narrow = runningRowParts(test, t0 + 1500, 24, pathColumnWidth([test], 24));
		assert.equal(narrow.path, '…ep/dir/a.sh');
		assert.equal(narrow.output, '');
	});

	it('turns the spinner with the clock', () => {
		assert.notEqual(spinnerFrame(0), spinnerFrame(80));
		assert.equal(spinnerFrame(0), spinnerFrame(800));
	});
});

describe('output mode', () => {
	const mode = (stdoutIsTTY: boolean, stderrIsTTY: boolean, json = false, quiet = false) => pickMode({
		stdoutIsTTY, stderrIsTTY, json, quiet,
	});

	it('draws on stdout when it is a terminal', () => {
		assert.deepEqual(mode(true, true), {stdout: 'view', stderr: 'none', quiet: false});
	});

	it('writes JSON lines to a piped stdout and, on a terminal stderr it shares with the reader, a log that only appends', () => {
		assert.deepEqual(mode(false, true), {stdout: 'json', stderr: 'log', quiet: false});
	});

	it('logs plain lines to stderr when neither is a terminal, and nothing with --quiet', () => {
		assert.deepEqual(mode(false, false), {stdout: 'json', stderr: 'plain', quiet: false});
		assert.deepEqual(mode(false, false, false, true), {stdout: 'json', stderr: 'none', quiet: true});
		assert.deepEqual(mode(false, true, false, true), {stdout: 'json', stderr: 'none', quiet: true});
	});

	it('keeps --json on a terminal alone on it', () => {
		assert.deepEqual(mode(true, true, true), {stdout: 'json', stderr: 'none', quiet: false});
		assert.deepEqual(mode(true, false, true), {stdout: 'json', stderr: 'plain', quiet: false});
	});
});

describe('colour level', () => {
	const stream = (depth: number) => ({getColorDepth: () => depth});

	it('maps the stream\'s colour depth to chalk\'s levels', () => {
		assert.equal(colorLevel(stream(1)), 0);
		assert.equal(colorLevel(stream(4)), 1);
		assert.equal(colorLevel(stream(8)), 2);
		assert.equal(colorLevel(stream(24)), 3);
	});

	it('asks Node, which honours NO_COLOR and lets FORCE_COLOR win', async () => {
		const {WriteStream} = await import('node:tty');
		const fake = {getColorDepth: WriteStream.prototype.getColorDepth} as Parameters<typeof colorLevel>[0];
		assert.equal(colorLevel(fake, {TERM: 'xterm-256color', NO_COLOR: '1'}), 0);
		assert.equal(colorLevel(fake, {TERM: 'xterm-256color'}), 2);
		assert.equal(colorLevel(fake, {TERM: 'dumb', FORCE_COLOR: '3', NO_COLOR: '1'}), 3);
	});
});

describe('frames', () => {
	it('reduces every event but draws only on the clock, then once more at the end', () => {
		testScheduler().run(({cold, expectObservable}) => {
			// Five events in the first 3 ms, the end at 250 ms: frames at 100, 200, and 250.
			const events$ = cold('abc 247ms (d|)', {
				a: runStart(2, 2), b: testStart('x.sh', 0), c: testOutput('x.sh', 'hi'), d: testEnd('x.sh', 'passed', 5),
			});
			const counts = frames(events$, {intervalMs: 100}).pipe(map(frame => `${frame.now}:${frame.state.running.length}/${frame.state.totals.summary.total}`));
			expectObservable(counts).toBe('100ms a 99ms b 49ms (c|)', {a: '100:1/0', b: '200:1/0', c: '250:0/1'});
		});
	});

	it('draws a cancel at once and keeps it in later frames', () => {
		testScheduler().run(({cold, hot, expectObservable}) => {
			const events$ = cold('a 149ms |', {a: runStart(1, 1)});
			const cancel$ = hot<'SIGINT'>('30ms s', {s: 'SIGINT'});
			const signals = frames(events$, {intervalMs: 100, cancel$}).pipe(map(frame => frame.cancelling ?? 'none'));
			expectObservable(signals).toBe('30ms a 69ms b 49ms (c|)', {a: 'SIGINT', b: 'SIGINT', c: 'SIGINT'});
		});
	});

	it('draws what was printed 50 items a frame, each batch under a key of its own, and the last batch again when nothing is new', () => {
		testScheduler().run(({expectObservable}) => {
			// A header and 120 results at once: 121 items, the end at 350 ms.
			const ends = Array.from({length: 120}, (_, index) => testEnd(`${index}.sh`, 'passed', 1));
			const events$ = concat(of(runStart(120, 1), ...ends), timer(350).pipe(ignoreElements()));
			const batches = frames(events$, {intervalMs: 100}).pipe(map(({printed}) => `${printed.key}:${printed.items.length}`));
			expectObservable(batches).toBe('100ms a 99ms b 99ms c 49ms (d|)', {a: '1:50', b: '2:50', c: '3:21', d: '3:21'});
		});
	});

	it('draws at the end all that is left, a batch a frame', () => {
		testScheduler().run(({expectObservable}) => {
			const ends = Array.from({length: 120}, (_, index) => testEnd(`${index}.sh`, 'passed', 1));
			const events$ = concat(of(runStart(120, 1), ...ends), timer(150).pipe(ignoreElements()));
			const batches = frames(events$, {intervalMs: 100}).pipe(map(({printed}) => `${printed.key}:${printed.items.length}`));
			expectObservable(batches).toBe('100ms a 49ms (bc|)', {a: '1:50', b: '2:50', c: '3:21'});
		});
	});
});
