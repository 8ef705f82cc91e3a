import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import React from 'react';
import {Subject} from 'rxjs';
import type {RunEvent} from '../../source/events.js';
import {App} from '../../source/ui/app.js';
import {EngineRows} from '../../source/ui/engine-rows.js';
import {FinishedRow} from '../../source/ui/finished-row.js';
import {frames} from '../../source/ui/frames.js';
import {ProgressBar} from '../../source/ui/progress-bar.js';
import {RunningRow} from '../../source/ui/running-row.js';
import {RunView} from '../../source/ui/run-view.js';
import {FailureDetails, Summary} from '../../source/ui/summary.js';
import {resultParts} from '../../source/words/lines.js';
import {
	frameAfter, runEnd, runStart, stateOf, t0, testEnd, testOutput, testStart,
} from '../helpers/fixtures.js';
import {until} from '../helpers/poll.js';

// Frames are compared as a person reads them; colour is tested apart (colour level).
// eslint-disable-next-line no-control-regex
const plain = (frame = '') => frame.replace(/\u001B\[[\d;]*m/g, '');

function frameOf(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(node);
	const frame = plain(lastFrame());
	unmount();
	return frame;
}

const failed = testEnd('test/fail.sh', 'failed', 1234, {
	exitCode: 3, stdout: 'step 1\nstep 2\n', stderr: 'expected 2, got 3\n', stdoutBytes: 14, stderrBytes: 18,
});
const runningEvents = [
	runStart(10, 2),
	testEnd('test/a.sh', 'passed', 1000),
	testEnd('test/b.sh', 'passed', 1000),
	failed,
	testStart('test/slow.sh', 2000, '0123456789abcdef0123'),
	testOutput('test/slow.sh', 'compiling module 7 of 12'),
];
const running = stateOf(runningEvents);

describe('progress bar', () => {
	it('shows the bar, done/total, elapsed, time left and the counts', () => {
		assert.equal(frameOf(<ProgressBar state={running} now={t0 + 3000} width={60}/>), [
			// Mean 1078 ms; 6 waiting and slow.sh's 78 ms to go, over 2 slots: 3.3 s. 37 cells, 3/10 filled.
			'███████████░░░░░░░░░░░░░░░░░░░░░░░░░░ 3/10  3.0s  ~3.3s left',
			'2 passed · 1 failed · 1 running',
		].join('\n'));
	});

	it('names the rarer statuses only when they happened', () => {
		const state = stateOf([runStart(3, 3), testEnd('a', 'timed-out', 10), testEnd('b', 'error', 10), testEnd('c', 'cancelled', 10)]);
		assert.equal(frameOf(<ProgressBar state={state} now={t0 + 1000} width={80}/>), [
			'████████████████████████████████████████ 3/3  1.0s  <1s left',
			'0 passed · 0 failed · 1 timed out · 1 errored · 1 cancelled',
		].join('\n'));
	});
});

describe('running row', () => {
	it('shows spinner, path, short container id, elapsed time and the last output line', () => {
		const [test] = running.running;
		assert.equal(frameOf(<RunningRow test={test!} now={t0 + 3500} width={80} pathWidth={12}/>),
			'⠸ test/slow.sh  0123456789ab   1.5s  compiling module 7 of 12');
	});

	it('cuts the output line to the width', () => {
		const [test] = running.running;
		assert.equal(frameOf(<RunningRow test={test!} now={t0 + 3500} width={60} pathWidth={12}/>),
			'⠸ test/slow.sh  0123456789ab   1.5s  compiling module 7 of …');
	});
});

describe('finished row', () => {
	it('shows mark, status, path, duration, and the exit code when it is not 0', () => {
		assert.equal(frameOf(<FinishedRow status="failed" parts={resultParts(failed)}/>), '✗ failed    test/fail.sh (exit 3, 1.2s)');
		assert.equal(frameOf(<FinishedRow status="passed" parts={resultParts(testEnd('test/a.sh', 'passed', 1000))}/>), '✓ passed    test/a.sh (1.0s)');
	});
});

/** What the summary shows of test/fail.sh: its status and code, then each stream's tail, apart. */
const failureOfFail = [
	'── test/fail.sh: failed, exit code 3',
	'  stdout:',
	'    step 1',
	'    step 2',
	'  stderr:',
	'    expected 2, got 3',
];

describe('summary', () => {
	it('gives the verdict, counts, wall time, summed time and speed-up, then each failure\'s output', () => {
		const end = runEnd(running, 2000);
		assert.equal(frameOf(<><Summary end={end}/><FailureDetails result={failed}/></>), [
			'',
			'Fail: 2 passed, 1 failed of 3 files',
			'Time: 2.0s (files took 3.2s in all, 1.6x from running in parallel)',
			'',
			...failureOfFail,
		].join('\n'));
	});
});

describe('summary with a quarantine list', () => {
	it('counts the quarantined files, and names each expired entry with its owner and each that matched nothing', () => {
		const base = runEnd(running, 2000);
		const end = {
			...base,
			summary: {...base.summary, total: 4, quarantined: 1},
			exitCode: 1,
			quarantineExpired: [{test: 'adds', reason: 'timing', owner: '@alice', expires: '2027-01-31'}],
			quarantineUnmatched: [{file: 'test/gone.sh', reason: 'flaky', owner: '@bob'}],
		};
		assert.equal(frameOf(<Summary end={end}/>), [
			'',
			'Fail: 2 passed, 1 failed, 1 quarantined of 4 files',
			'Quarantine expired: "adds", owner @alice, expired 2027-01-31 (timing)',
			'Note: the quarantine entry test/gone.sh (owner @bob) matched nothing in this run',
			'Time: 2.0s (files took 3.2s in all, 1.6x from running in parallel)',
		].join('\n'));
	});
});

describe('summary with --results', () => {
	it('counts the tests the frameworks reported, names the failed ones, and says what a cut stream left out', () => {
		const end = {...runEnd(running, 2000), tests: {total: 40, passed: 36, failed: 1, skipped: 3}};
		const withTests = {
			...failed,
			stdout: 'step 1\nstep 2\n',
			stdoutBytes: 5000,
			outputFolder: '/ci/out/files/test/fail.sh',
			tests: {total: 3, passed: 2, failed: 1, skipped: 0},
			testcases: [{name: 'adds', classname: 'cart', status: 'failed' as const, message: 'expected 2, got 3'}],
		};
		assert.equal(frameOf(<><Summary end={end}/><FailureDetails result={withTests}/></>), [
			'',
			'Fail: 2 passed, 1 failed of 3 files; 36 passed, 1 failed, 3 skipped of 40 tests',
			'Time: 2.0s (files took 3.2s in all, 1.6x from running in parallel)',
			'',
			'── test/fail.sh: failed, exit code 3',
			'  failed tests:',
			'    ✗ cart › adds: expected 2, got 3',
			'  stdout:',
			'    [… 4.9 KiB before this; all of it in /ci/out/files/test/fail.sh/stdout.log]',
			'    step 1',
			'    step 2',
			'  stderr:',
			'    expected 2, got 3',
		].join('\n'));
	});
});

describe('retries, flaky files and bail', () => {
	const retry: RunEvent = {...testEnd('test/flaky.sh', 'failed', 300, {exitCode: 1}), type: 'test-retry', attempt: 1, maxAttempts: 3};
	const events = [
		runStart(3, 2),
		{...testStart('test/flaky.sh', 0), attempt: 1, maxAttempts: 3} as RunEvent,
		retry,
		{...testStart('test/flaky.sh', 400, 'feedface00000000'), attempt: 2, maxAttempts: 3} as RunEvent,
	];

	it('tells a retry in the printed lines and shows its attempt on its row', () => {
		const frame = frameOf(<RunView {...frameAfter(events, t0 + 1000)} width={80}/>);
		assert.match(frame, /↻ test\/flaky\.sh: exit 1, runs again \(attempt 2 of 3\)/);
		assert.match(frame, /test\/flaky\.sh {2}attempt 2\/3 /);
	});

	it('counts a flaky file apart in the summary, and says when --bail stopped the run', () => {
		const flaky = testEnd('test/flaky.sh', 'flaky', 300, {attempts: 2, earlier: [{status: 'failed', exitCode: 1, durationMs: 300}]});
		const all = [...events, flaky, testEnd('test/bad.sh', 'failed', 100, {exitCode: 2}), testEnd('test/c.sh', 'cancelled', 0, {exitCode: null})];
		const state = stateOf(all);
		const frame = frameOf(<RunView {...frameAfter([...all, {...runEnd(state, 900), bailed: true}], t0 + 1000)} width={100}/>);
		assert.match(frame, /~ flaky {5}test\/flaky\.sh \(300ms, attempts: exit 1, passed\)/);
		assert.match(frame, /Fail: 0 passed, 1 flaky, 1 failed, 1 cancelled of 3/);
		assert.match(frame, /Bailed: 1 file failed, so 1 file did not run \(--bail\)/);
	});
});

describe('run view', () => {
	it('prints the header and finished files once, above the live rows', () => {
		assert.equal(frameOf(<RunView {...frameAfter(runningEvents, t0 + 3500)} width={80}/>), [
			'baleen 10 files in baleen-test-shell, 2 at once (unix:///var/run/docker.sock)',
			'✓ passed    test/a.sh (1.0s)',
			'✓ passed    test/b.sh (1.0s)',
			'✗ failed    test/fail.sh (exit 3, 1.2s)',
			'⠸ test/slow.sh  0123456789ab   1.5s  compiling module 7 of 12',
			'████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 3/10  3.5s  ~3.2s left',
			'2 passed · 1 failed · 1 running',
		].join('\n'));
	});

	it('fits a 40-column terminal: no id, the output cut, every live line within 40 columns', () => {
		const frame = frameOf(<RunView {...frameAfter(runningEvents, t0 + 3500)} width={40}/>);
		const live = frame.split('\n').slice(4);
		assert.deepEqual(live, [
			'⠸ test/slow.sh   1.5s  compiling module…',
			'█████░░░░░░░░░░░░ 3/10  3.5s  ~3.2s left',
			'2 passed · 1 failed · 1 running',
		]);
	});

	it('shows that it is cancelling, and how to force', () => {
		const frame = frameOf(<RunView {...frameAfter(runningEvents, t0 + 3500)} width={80} cancelling="SIGINT"/>);
		assert.deepEqual(frame.split('\n').slice(5), [
			'Ctrl-C: cancelling… (Ctrl-C again to force)',
			'████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 3/10  3.5s',
			'2 passed · 1 failed · 1 running',
		]);
	});

	it('folds running rows that would not fit the terminal\'s height', () => {
		const many = frameAfter([runStart(8, 8), ...['a', 'b', 'c', 'd', 'e', 'f'].map((file, index) => testStart(`${file}.sh`, 0, `id${index}`))], t0);
		const lines = frameOf(<RunView {...many} width={40} height={8}/>).split('\n');
		assert.deepEqual(lines.slice(1, -2), ['⠋ a.sh    0ms', '⠋ b.sh    0ms', '⠋ c.sh    0ms', '  … and 3 more running']);
	});

	it('ends with the summary and the failure details instead of the live rows', () => {
		const events = [runStart(2, 2), testEnd('test/a.sh', 'passed', 1000), failed];
		const frame = frameOf(<RunView {...frameAfter([...events, runEnd(stateOf(events), 1500)], t0 + 1500)} width={80}/>);
		assert.equal(frame, [
			'baleen 2 files in baleen-test-shell, 2 at once (unix:///var/run/docker.sock)',
			'✓ passed    test/a.sh (1.0s)',
			'✗ failed    test/fail.sh (exit 3, 1.2s)',
			'',
			'Fail: 1 passed, 1 failed of 2 files',
			'Time: 1.5s (files took 2.2s in all, 1.5x from running in parallel)',
			'',
			...failureOfFail,
			'',
		].join('\n'));
	});
});

describe('app', () => {
	it('subscribes to the frames, draws them, and leaves after the last', async t => {
		const events$ = new Subject<RunEvent>();
		const {frames: written, unmount} = render(<App frames$={frames(events$, {intervalMs: 5})}/>);
		// A failed assertion must not leave the view mounted and the file hanging.
		t.after(unmount);
		// Not the last write: leaving, Ink writes one more (empty) frame when it thinks it runs in CI.
		const drawn = () => written.map(frame => plain(frame)).join('\n').split('\n');
		events$.next(runStart(1, 1));
		events$.next(testEnd('only.sh', 'passed', 10));
		const state = stateOf([runStart(1, 1), testEnd('only.sh', 'passed', 10)]);
		events$.next(runEnd(state, 20));
		events$.complete();
		// Waits for the view to catch up (it draws on its own clock); a slow machine only waits longer.
		await until(() => drawn().some(line => line.startsWith('Pass:')), 'the summary to be drawn', 5000);

		const lines = drawn().filter(line => line !== '');
		assert.deepEqual(lines.slice(0, 3), [
			'baleen 1 file in baleen-test-shell, 1 at once (unix:///var/run/docker.sock)',
			'✓ passed    only.sh (10ms)',
			'Pass: 1 passed, 0 failed of 1 file',
		]);
	});

	it('prints each finished file once, however many frames come after', async t => {
		const events$ = new Subject<RunEvent>();
		const {lastFrame, frames: written, unmount} = render(<App frames$={frames(events$, {intervalMs: 5})}/>);
		t.after(unmount);
		// Ink's test renderer writes all that was ever printed with each frame.
		const printed = () => plain(lastFrame()).split('\n').filter(line => line.startsWith('✓'));
		const files = ['a.sh', 'b.sh', 'c.sh'];
		events$.next(runStart(files.length, 1));
		for (const file of files) {
			events$.next(testEnd(file, 'passed', 10));
			// eslint-disable-next-line no-await-in-loop
			await until(() => printed().some(line => line.includes(file)), `${file} to be printed`, 5000);
		}

		const drawnSoFar = written.length;
		await until(() => written.length >= drawnSoFar + 3, 'three frames more', 5000);
		assert.deepEqual(printed(), files.map(file => `✓ passed    ${file} (10ms)`));
		events$.complete();
	});
});

describe('EngineRows', () => {
	it('shows a line per engine, busy of its slots and files done, only with more than one engine', () => {
		const engines = [{name: 'unix:///tmp/a.sock', slots: 2, busy: 1, done: 4}, {name: 'remote', slots: 8, busy: 8, done: 12}];
		assert.equal(frameOf(<EngineRows engines={engines} width={80}/>), '  unix:///tmp/a.sock  1/2 busy  4 done\n  remote              8/8 busy  12 done');
		assert.equal(frameOf(<EngineRows engines={engines.slice(0, 1)} width={80}/>), '');
	});
});

describe('a failure on one of several engines', () => {
	it('names the engine it ran on', () => {
		const parts = resultParts({...failed, engine: 'ssh://ci@box-2'});
		assert.match(parts.details, /, on ssh:\/\/ci@box-2\)$/);
		assert.doesNotMatch(resultParts({...testEnd('a.sh', 'passed', 10), engine: 'x'}).details, /on x/);
	});
});
