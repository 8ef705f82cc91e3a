import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defer, map, timer} from 'rxjs';
import {
	schemaVersion, type PartEnd, type RunEvent, type TestCase, type TestEnd, type TestResult,
} from '../../source/events.js';
import type {Task, Turn} from '../../source/run/attempts.js';
import {joinParts, wholeAgain} from '../../source/run/parts.js';
import {afterRetry, failedOnly} from '../../source/run/rerun-tests.js';
import {runFiles} from '../../source/run/run.js';
import {testScheduler} from '../helpers/scheduler.js';

const cases = (spec: Record<string, TestCase['status']>): TestCase[] => Object.entries(spec).map(([name, status]) => ({name, status, timeMs: 1}));
const result = (file: string, testcases: TestCase[] | undefined, extra: Partial<TestResult> = {}): TestResult => {
	const failed = testcases?.some(test => test.status === 'failed');
	return {
		file, status: failed ? 'failed' : 'passed', exitCode: failed ? 1 : 0, durationMs: 10, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0,
		...(testcases && {testcases, tests: {total: testcases.length, passed: testcases.filter(test => test.status === 'passed').length, failed: testcases.filter(test => test.status === 'failed').length, skipped: 0}}),
		...extra,
	};
};

const partEnd = (index: number, count: number, value: TestResult, attempts = 1): PartEnd => ({schema: schemaVersion, type: 'part-end', part: {index, count}, attempts, ...value});

test('a split file\'s test-end: the worst status, every part\'s tests, its time from the first start to the last end, the most attempts', () => {
	const joined = joinParts([
		partEnd(2, 2, result('f', cases({c: 'failed'}), {durationMs: 30, endedAt: 1040, stdout: 'two\n', stdoutBytes: 4}), 2),
		partEnd(1, 2, result('f', cases({a: 'passed', b: 'passed'}), {durationMs: 20, endedAt: 1020, stdout: 'one\n', stdoutBytes: 4})),
	]);
	assert.equal(joined.type, 'test-end');
	assert.equal(joined.status, 'failed');
	assert.equal(joined.exitCode, 1);
	assert.deepEqual(joined.testcases?.map(test => test.name), ['a', 'b', 'c']);
	assert.deepEqual(joined.tests, {total: 3, passed: 2, failed: 1, skipped: 0});
	assert.equal(joined.durationMs, 40, 'from 1000 (part 1 began) to 1040');
	assert.equal(joined.attempts, 2);
	assert.deepEqual(joined.split, {parts: 2, partsMs: 50});
	assert.equal(joined.stdout, '--- part 1 of 2 ---\none\n\n--- part 2 of 2 ---\ntwo\n');
	assert.equal(joined.stdoutBytes, 8);
	assert.equal(joinParts([partEnd(1, 2, result('f', cases({a: 'passed'}))), partEnd(2, 2, {...result('f', cases({b: 'passed'})), status: 'flaky'})]).status, 'flaky');
});

test('a part that cannot tell its tests sends the file to run whole: no report, or a failure its report does not name', () => {
	assert.match(wholeAgain(partEnd(2, 3, result('f', undefined, {resultsError: 'no report was written'})))!, /^part 2 of 3: no report was written/);
	assert.match(wholeAgain(partEnd(1, 3, {...result('f', cases({a: 'passed'})), status: 'failed', exitCode: 4}))!, /part 1 of 3 failed \(exit code 4\) without a failed test/);
	assert.equal(wholeAgain(partEnd(1, 3, result('f', cases({a: 'failed'})))), undefined, 'a test failed: the part told it');
	assert.equal(wholeAgain(partEnd(1, 3, {...result('f', undefined), status: 'timed-out', exitCode: null})), undefined, 'a time-out is a result');
});

test('a part whose report names a test it was not given sends the file to run whole: it would count that test twice', () => {
	const unit = (test: TestCase) => test.name;
	const ran = (selection: {only: string[]} | {except: string[]}) => ({selection, unit});
	assert.match(wholeAgain(partEnd(1, 2, result('f', cases({a: 'passed', b: 'passed'}))), ran({only: ['a']}))!, /^part 1 of 2 ran tests it was not given \(b\)/);
	assert.match(wholeAgain(partEnd(2, 2, result('f', cases({a: 'passed', c: 'passed'}))), ran({except: ['a']}))!, /not given \(a\)/);
	assert.equal(wholeAgain(partEnd(2, 2, result('f', cases({c: 'passed', new: 'passed'}))), ran({except: ['a', 'gone']})), undefined, 'a test no run named belongs to the part that takes the rest');
	assert.equal(wholeAgain(partEnd(1, 2, result('f', cases({}))), ran({only: ['gone']})), undefined, 'a gone test runs nowhere: nothing to count twice');
});

test('a retry runs only the failed tests; a test that passes on it is flaky by name, the others kept as they were', () => {
	const unit = (test: TestCase) => test.name;
	assert.deepEqual(failedOnly(result('f', cases({a: 'passed', b: 'failed', c: 'failed'})), unit), {only: ['b', 'c']});
	assert.equal(failedOnly(result('f', cases({a: 'passed'}), {status: 'failed'}), unit), undefined, 'no failed test named: the whole again');
	assert.equal(failedOnly(result('f', cases({b: 'failed'}), {lost: true}), unit), undefined);
	assert.equal(failedOnly(result('f', cases({b: 'failed'})), undefined), undefined, 'a framework that cannot pick tests');
	const merged = afterRetry(cases({a: 'passed', b: 'failed', c: 'failed'}), cases({b: 'passed', c: 'failed'}), new Set(['b', 'c']), unit);
	assert.deepEqual(merged.map(({name, status, flaky, earlier}) => ({name, status, flaky, runs: earlier?.map(run => run.status)})), [
		{name: 'a', status: 'passed', flaky: undefined, runs: undefined},
		{name: 'b', status: 'passed', flaky: true, runs: ['failed']},
		{name: 'c', status: 'failed', flaky: undefined, runs: ['failed']},
	]);
});

/** Runs tasks whose attempts end as `script(turn)` says, one frame each; what the run told, and what each attempt ran. */
function told(tasks: Array<string | Task>, slots: number, script: (turn: Turn) => TestResult, retries = 0) {
	const events: RunEvent[] = [];
	const runs: string[] = [];
	testScheduler().run(({flush}) => {
		runFiles(tasks, slots, (file, _slot, attempt, turn) => defer(() => {
			const selection = turn.rerun ?? turn.selection;
			runs.push(`${file}${turn.part ? `#${turn.part.index}` : ''}@${attempt}:${selection ? JSON.stringify(selection) : 'all'}`);
			return timer(1).pipe(map((): RunEvent => ({schema: schemaVersion, type: 'test-end', ...script(turn), attempts: 1})));
		}), {policy: {retries, lost: 3, unit: () => test => test.name}}).subscribe(event => events.push(event));
		flush();
	});
	return {events, runs, ends: events.filter((event): event is TestEnd => event.type === 'test-end')};
}

const parts: Task[] = [
	{file: 'big', part: {index: 1, count: 2}, selection: {only: ['a']}},
	{file: 'big', part: {index: 2, count: 2}, selection: {except: ['a']}},
	{file: 'small'},
];

test('a split file\'s parts run in slots of their own and end with part-ends; the file ends once, after its last part', () => {
	const {events, ends} = told(parts, 3, turn => result(turn.file, turn.part?.index === 1 ? cases({a: 'passed'}) : cases({b: 'passed', c: 'passed'})));
	assert.deepEqual(events.map(event => `${event.type}${'part' in event && event.part ? ` ${event.part.index}` : ''} ${'file' in event ? event.file : ''}`), [
		'part-end 1 big', 'part-end 2 big', 'test-end big', 'test-end small',
	]);
	assert.deepEqual(ends.map(end => [end.file, end.status, end.split?.parts, end.tests?.total]), [['big', 'passed', 2, 3], ['small', 'passed', undefined, 2]]);
});

test('a part that failed without a failed test runs the file whole after its last part, once, and its test-end says why', () => {
	const {runs, ends} = told(parts, 3, turn => {
		if (turn.part?.index === 2) {
			return {...result(turn.file, cases({})), status: 'failed', exitCode: 4};
		}

		return result(turn.file, turn.part ? cases({a: 'passed'}) : cases({a: 'passed', b: 'passed', c: 'passed'}));
	});
	assert.deepEqual(runs.filter(run => run.startsWith('big')), ['big#1@1:{"only":["a"]}', 'big#2@1:{"except":["a"]}', 'big@1:all']);
	const big = ends.find(end => end.file === 'big')!;
	assert.equal(big.status, 'passed');
	assert.match(big.split?.whole ?? '', /part 2 of 2 failed \(exit code 4\)/);
	assert.equal(big.tests?.total, 3);
	assert.equal(ends.length, 2);
});

test('--retries: the retry of a file or a part runs only the tests that failed, and the file ends flaky with each test once', () => {
	const {runs, ends, events} = told(['f', ...parts.slice(0, 2)], 2, turn => {
		if (turn.file === 'f') {
			return result('f', turn.rerun ? cases({b: 'passed'}) : cases({a: 'passed', b: 'failed'}));
		}

		return result('big', turn.part?.index === 1 ? cases({a: 'passed'}) : (turn.rerun ? cases({c: 'passed'}) : cases({b: 'passed', c: 'failed'})));
	}, 2);
	assert.deepEqual(runs.toSorted(), ['big#1@1:{"only":["a"]}', 'big#2@1:{"except":["a"]}', 'big#2@2:{"only":["c"]}', 'f@1:all', 'f@2:{"only":["b"]}']);
	const f = ends.find(end => end.file === 'f')!;
	assert.equal(f.status, 'flaky');
	assert.deepEqual(f.testcases?.map(({name, status, flaky}) => [name, status, flaky ?? false]), [['a', 'passed', false], ['b', 'passed', true]]);
	assert.deepEqual(f.tests, {total: 2, passed: 2, failed: 0, skipped: 0});
	const big = ends.find(end => end.file === 'big')!;
	assert.equal(big.status, 'flaky');
	assert.equal(big.attempts, 2, 'the most any part had: parts are not attempts');
	assert.deepEqual(big.testcases?.map(({name, flaky}) => [name, flaky ?? false]).sort(), [['a', false], ['b', false], ['c', true]]);
	assert.equal(events.filter(event => event.type === 'test-retry' && event.part?.index === 2).length, 1, 'the part\'s retry is told with its part');
});
