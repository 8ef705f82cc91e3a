import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {NEVER, Subject, from, map} from 'rxjs';
import {schemaVersion, type RunEvent} from '../../source/events.js';
import {reportersFor, type OutputMode} from '../../source/reporters/mode.js';
import {plainLines} from '../../source/reporters/plain.js';
import {startReporters, type Reporter} from '../../source/reporters/reporter.js';
import {
	runEnd, runStart, stateOf, testEnd, testOutput, testStart,
} from '../helpers/fixtures.js';
import {testScheduler} from '../helpers/scheduler.js';

function sink() {
	const chunks: string[] = [];
	return {stream: {write: (chunk: string) => chunks.push(chunk) > 0} as unknown as NodeJS.WriteStream, text: () => chunks.join('')};
}

const failed = testEnd('b.sh', 'failed', 300, {exitCode: 3, stderr: 'boom\n', stderrBytes: 5});
const events = [runStart(2, 2), testStart('a.sh', 0), testOutput('a.sh', 'live'), testEnd('a.sh', 'passed', 200), failed];
const all = [...events, runEnd(stateOf(events), 400)];

async function report(mode: OutputMode, events$ = from(all)) {
	const stdout = sink();
	const stderr = sink();
	const reporting = await startReporters(reportersFor(mode, {stdout: stdout.stream, stderr: stderr.stream}), events$, {cancel$: NEVER});
	return {stdout, stderr, reporting};
}

describe('reporters without a terminal', () => {
	it('write JSON lines on stdout (no live output) and a plain log on stderr', async () => {
		const {stdout, stderr, reporting} = await report({stdout: 'json', stderr: 'plain', quiet: false});
		await reporting.closed;
		const lines = stdout.text().trimEnd().split('\n').map(line => (JSON.parse(line) as {type: string}).type);
		assert.deepEqual(lines, ['run-start', 'test-start', 'test-end', 'test-end', 'run-end']);
		assert.equal(stderr.text(), [
			'baleen: 2 files in baleen-test-shell, 2 at once (unix:///var/run/docker.sock)',
			'✓ passed    a.sh (200ms)',
			'✗ failed    b.sh (exit 3, 300ms)',
			'',
			'Fail: 1 passed, 1 failed of 2 files',
			'Time: 400ms (files took 500ms in all, 1.3x from running in parallel)',
			'',
			'── b.sh: failed, exit code 3',
			'  stderr:',
			'    boom',
			'',
		].join('\n'));
	});

	it('leave stderr alone with --quiet, even for the cancel notice and a build\'s output', async () => {
		const build: RunEvent[] = [{schema: schemaVersion, type: 'build-start', image: 'i', context: '/c'}, {schema: schemaVersion, type: 'build-output', image: 'i', line: 'Step 1/2'}];
		const {stdout, stderr, reporting} = await report({stdout: 'json', stderr: 'none', quiet: true}, from([...build, ...all]));
		reporting.cancelling('SIGINT');
		assert.equal(stderr.text(), '');
		assert.ok(stdout.text().startsWith(`{"schema":${schemaVersion},"type":"build-start"`));
		assert.doesNotMatch(stdout.text(), /Step 1\/2/);
	});

	it('show a build\'s output on stderr, a line at a time', async () => {
		const build: RunEvent[] = [{schema: schemaVersion, type: 'build-output', image: 'i', line: 'Step 1/2'}, {schema: schemaVersion, type: 'build-output', image: 'i', line: 'Step 2/2'}];
		const {stderr} = await report({stdout: 'json', stderr: 'none', quiet: false}, from(build));
		assert.equal(stderr.text(), 'Step 1/2\nStep 2/2\n');
	});

	it('say on stderr that a signal is cancelling when there is no view to show it, and that a forced stop removes what is left', async () => {
		const {stderr, reporting} = await report({stdout: 'json', stderr: 'plain', quiet: false}, from([]));
		reporting.cancelling('SIGTERM');
		reporting.forced();
		assert.equal(stderr.text(), 'baleen: SIGTERM: cancelling, removing running containers (Ctrl-C again to force)\nbaleen: forced: removing what is left\n');
	});

	it('stop writing at a forced stop', async () => {
		const events$ = new Subject<RunEvent>();
		const {stdout, reporting} = await report({stdout: 'json', stderr: 'plain', quiet: false}, events$);
		events$.next(runStart(1, 1));
		reporting.forced();
		events$.next(testEnd('a.sh', 'passed', 1));
		await reporting.closed;
		assert.equal(stdout.text().split('\n').filter(Boolean).length, 1);
	});

	it('tell files cancelled before they started as one line, and a row only for those that ran', async () => {
		const cancelled = [
			runStart(53, 2),
			testEnd('done.sh', 'passed', 100, {containerId: 'c1'}),
			testEnd('running.sh', 'cancelled', 900, {containerId: 'c2'}),
			...Array.from({length: 51}, (_, index) => testEnd(`waiting-${index}.sh`, 'cancelled', 0)),
		];
		const {stderr} = await report({stdout: 'json', stderr: 'plain', quiet: false}, from([...cancelled, runEnd(stateOf(cancelled), 1000, 'SIGINT')]));
		assert.deepEqual(stderr.text().split('\n').slice(0, 6), [
			'baleen: 53 files in baleen-test-shell, 2 at once (unix:///var/run/docker.sock)',
			'✓ passed    done.sh (100ms)',
			'- cancelled running.sh (900ms)',
			'- 51 files not run',
			'',
			'Cancelled: 1 passed, 0 failed, 52 cancelled of 53 files',
		]);
	});
});

describe('closing', () => {
	it('waits for every reporter to write its last word', async () => {
		let finish!: () => void;
		const file: Reporter = () => ({
			written: new Promise<void>(resolve => {
				finish = resolve;
			}),
		});
		const reporting = await startReporters([file], from(all), {cancel$: NEVER});
		let closed = false;
		void reporting.closed.then(() => {
			closed = true;
		});
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		assert.equal(closed, false, 'not before the file is written');
		finish();
		await reporting.closed;
	});
});

describe('the log on a terminal shared with the reader of stdout', () => {
	it('only appends: a line per file, and a progress line every few seconds while files run', () => {
		testScheduler().run(({cold, expectObservable}) => {
			const events$ = cold('a 2999ms b 3999ms c 999ms (d|)', {
				a: runStart(2, 2), b: testEnd('x.sh', 'passed', 3000), c: testStart('y.sh', 7000), d: testEnd('y.sh', 'failed', 1000),
			});
			const lines = plainLines(events$, {progressEveryMs: 5000}).pipe(map(line => line.replace(/\d+(\.\d)?(ms|s)/g, 'T')));
			expectObservable(lines).toBe('a 2999ms b 1999ms p 2999ms (d|)', {
				a: 'baleen: 2 files in baleen-test-shell, 2 at once (unix:///var/run/docker.sock)\n',
				b: '✓ passed    x.sh (T)\n',
				p: '… 1/2  T  ~T left  (1 passed, 0 failed, 0 running)\n',
				d: '✗ failed    y.sh (exit 1, T)\n',
			});
		});
	});
});
