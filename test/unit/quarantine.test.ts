import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {from, lastValueFrom, toArray, type SchedulerLike} from 'rxjs';
import {BaleenError} from '../../source/errors.js';
import {
	schemaVersion, type FileResult, type QuarantineEntry, type RunEnd, type RunEvent, type RunStart, type TestCase, type TestEnd,
} from '../../source/events.js';
import {expiredAnnotations, quarantineNotices, stepSummary} from '../../source/junit/github.js';
import {junitXml} from '../../source/junit/xml.js';
import {resolveOptions} from '../../source/options/resolve.js';
import {mergeRuns} from '../../source/report/merge.js';
import {reportPage} from '../../source/report/page.js';
import {parseQuarantine, readQuarantine, type QuarantineList} from '../../source/quarantine/list.js';
import {matches, quarantineResult} from '../../source/quarantine/match.js';
import {
	expiredEntries, judged, judgedByQuarantine, quarantined, utcDay,
} from '../../source/quarantine/verdict.js';
import {emptyTotals, exitCodeFor, tally} from '../../source/run/summary.js';
import {summaryLines} from '../../source/words/lines.js';
import {folder} from '../helpers/folder.js';
import {readJunit} from '../helpers/junit.js';

const problem = (text: string): string => {
	try {
		parseQuarantine(text, 'q.yml');
	} catch (error) {
		assert.ok(error instanceof BaleenError);
		return error.message;
	}

	return 'no problem';
};

test('a quarantine list: its entries as written, an expiry date quoted or not, an empty file none', () => {
	assert.deepEqual(parseQuarantine([
		'- test: "adds (1+1) [twice]?"',
		'  file: test/words.spec.js',
		'  reason: races the clock',
		'  owner: "@alice"',
		'  expires: 2027-01-31',
		'- file: test/slow/**/*.js',
		'  reason: staging is down',
		'  owner: "@ops"',
		'  expires: "2027-02-28"',
	].join('\n'), 'q.yml'), [
		{test: 'adds (1+1) [twice]?', file: 'test/words.spec.js', reason: 'races the clock', owner: '@alice', expires: '2027-01-31'},
		{file: 'test/slow/**/*.js', reason: 'staging is down', owner: '@ops', expires: '2027-02-28'},
	]);
	assert.deepEqual(parseQuarantine('', 'q.yml'), []);
	assert.deepEqual(parseQuarantine('# nothing quarantined yet\n', 'q.yml'), []);
});

test('a wrong entry is one line naming the file, the entry (from 1) and what is wrong', () => {
	const good = '- test: a\n  reason: r\n  owner: o\n';
	assert.equal(problem(`${good}- test: b\n  owner: o\n`), 'q.yml: entry 2: reason: is missing');
	assert.equal(problem(`${good}- test: b\n  reason: r\n  owner: " "\n`), 'q.yml: entry 2: owner: expected who owns it, e.g. "@alice"');
	assert.equal(problem('- reason: r\n  owner: o\n'), 'q.yml: entry 1: names neither a test nor a file; give test:, file: or both');
	assert.equal(problem('- test: a\n  reason: r\n  owner: o\n  expires: next week\n'), 'q.yml: entry 1: expires: expected a date, e.g. 2027-01-31');
	assert.equal(problem('- test: a\n  reason: r\n  owner: o\n  expires: 2027-02-30\n'), 'q.yml: entry 1: expires: expected a date, e.g. 2027-01-31');
	assert.equal(problem('- test: a\n  reason: r\n  owner: o\n  onwer: p\n'), 'q.yml: entry 1: unknown key "onwer"; expected test, file, reason, owner, expires');
	assert.equal(problem('test: a\n'), 'q.yml: expected a list of entries (- test: …)');
	assert.equal(problem('- just a name\n'), 'q.yml: entry 1: expected an entry with test or file, reason and owner');
	assert.match(problem('- test: [a\n'), /^q\.yml: not valid YAML: /);
});

test('the default list may be missing (no quarantine); one named must be there', () => {
	const root = folder();
	assert.equal(readQuarantine(path.join(root, 'none.yml'), false), undefined);
	assert.throws(() => readQuarantine(path.join(root, 'none.yml'), true, 'none.yml'), {name: 'BaleenError', message: 'cannot read the quarantine list none.yml: there is no such file'});
});

test('the default list is .baleen/quarantine.yml beside baleen.yml; --quarantine and quarantine: name another', () => {
	const entry = '- file: a.sh\n  reason: r\n  owner: o\n';
	const root = folder({'baleen.yml': 'image: img\ncommand: sh {file}\n', '.baleen/quarantine.yml': entry, 'sub/.keep': '', 'ci/q.yml': entry.replace('a.sh', 'b.sh')});
	const sub = path.join(root, 'sub');
	assert.deepEqual(resolveOptions([], {}, sub).options.quarantineList, {file: path.join(root, '.baleen/quarantine.yml'), entries: [{file: 'a.sh', reason: 'r', owner: 'o'}]});
	assert.deepEqual(resolveOptions([], {quarantine: '../ci/q.yml'}, sub).options.quarantineList?.entries, [{file: 'b.sh', reason: 'r', owner: 'o'}]);
	writeFileSync(path.join(root, 'baleen.yml'), 'image: img\ncommand: sh {file}\nquarantine: ci/q.yml\n');
	assert.deepEqual(resolveOptions([], {}, sub).options.quarantineList?.entries, [{file: 'b.sh', reason: 'r', owner: 'o'}]);
	assert.throws(() => resolveOptions([], {quarantine: 'missing.yml'}, sub), {name: 'BaleenError', message: /^cannot read the quarantine list missing\.yml: there is no such file$/});
	assert.equal(resolveOptions([], {}, folder({'baleen.yml': 'image: img\ncommand: sh {file}\n'})).options.quarantineList, undefined);
});

const testCase = (name: string, status: TestCase['status']): TestCase => ({name, status});
const fileResult = (file: string, status: FileResult['status'], testcases?: TestCase[]): FileResult => ({
	file, status, exitCode: status === 'passed' ? 0 : 1, durationMs: 100, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, containerId: 'c1', attempts: 1, ...(testcases && {testcases}),
});
const clock: QuarantineEntry = {test: 'races the clock', reason: 'timing', owner: '@alice', expires: '2027-01-31'};
const slow: QuarantineEntry = {file: 'test/slow/**/*.js', reason: 'staging is down', owner: '@ops'};
const entries = [clock, slow];

test('a file that failed only because of quarantined tests ends quarantined, each of those tests marked', () => {
	const result = quarantineResult(fileResult('test/a.js', 'failed', [testCase('races the clock', 'failed'), testCase('adds', 'passed')]), entries);
	assert.equal(result.status, 'quarantined');
	assert.deepEqual(result.testcases, [{...testCase('races the clock', 'failed'), quarantined: {reason: 'timing', owner: '@alice', expires: '2027-01-31'}}, testCase('adds', 'passed')]);
	assert.equal(result.quarantined, undefined, 'the file is not quarantined whole');
});

test('a file that also failed otherwise, timed out or errored still fails; one that passed stays passed, its test marked', () => {
	const both = quarantineResult(fileResult('test/a.js', 'failed', [testCase('races the clock', 'failed'), testCase('adds', 'error')]), entries);
	assert.equal(both.status, 'failed');
	assert.ok(both.testcases![0]!.quarantined);
	assert.equal(quarantineResult(fileResult('test/a.js', 'timed-out', [testCase('races the clock', 'failed')]), entries).status, 'timed-out');
	assert.equal(quarantineResult(fileResult('test/a.js', 'error', [testCase('races the clock', 'failed')]), entries).status, 'error');
	assert.equal(quarantineResult(fileResult('test/a.js', 'failed', []), entries).status, 'failed', 'no failed test to blame: the file itself failed');
	const passed = quarantineResult(fileResult('test/a.js', 'passed', [testCase('races the clock', 'passed')]), entries);
	assert.equal(passed.status, 'passed');
	assert.equal(passed.testcases![0]!.quarantined?.owner, '@alice');
	const untouched = fileResult('test/a.js', 'failed', [testCase('adds', 'failed')]);
	assert.equal(quarantineResult(untouched, entries), untouched, 'a result the list does not touch is the same');
});

test('a test\'s entry names it exactly, in any file or in the files its file: names', () => {
	const narrowed: QuarantineEntry = {test: 'adds (1+1) [twice]?', file: 'test/words.spec.js', reason: 'r', owner: 'o'};
	const failing = (file: string, name: string) => fileResult(file, 'failed', [testCase(name, 'failed')]);
	assert.equal(quarantineResult(failing('test/words.spec.js', 'adds (1+1) [twice]?'), [narrowed]).status, 'quarantined');
	assert.equal(quarantineResult(failing('./test/words.spec.js', 'adds (1+1) [twice]?'), [narrowed]).status, 'quarantined');
	assert.equal(quarantineResult(failing('test/other.spec.js', 'adds (1+1) [twice]?'), [narrowed]).status, 'failed');
	assert.equal(quarantineResult(failing('test/words.spec.js', 'adds (1+1) twice'), [narrowed]).status, 'failed', 'a name, not a pattern');
	assert.equal(quarantineResult(failing('test/words.spec.js', 'adds (1+1) [twice]? again'), [narrowed]).status, 'failed', 'the whole name');
});

test('a file quarantined whole: any failure of it (a timeout too) is quarantined, every test of it marked; a cancelled one stays cancelled', () => {
	const timedOut = quarantineResult(fileResult('test/slow/deep/x.js', 'timed-out', [testCase('waits', 'passed')]), entries);
	assert.equal(timedOut.status, 'quarantined');
	assert.deepEqual(timedOut.quarantined, {reason: 'staging is down', owner: '@ops'});
	assert.equal(timedOut.testcases![0]!.quarantined?.owner, '@ops');
	assert.equal(quarantineResult(fileResult('test/slow/x.js', 'error'), entries).status, 'quarantined');
	assert.equal(quarantineResult(fileResult('test/slow/x.js', 'cancelled'), entries).status, 'cancelled');
	assert.equal(quarantineResult(fileResult('test/slow/x.js', 'flaky'), entries).status, 'flaky');
	assert.equal(quarantineResult(fileResult('test/fast/x.js', 'failed'), entries).status, 'failed');
});

test('an entry matches a file it names whole, or a file holding the test it names', () => {
	assert.ok(matches(slow, fileResult('test/slow/x.js', 'passed')));
	assert.ok(!matches(slow, fileResult('test/x.js', 'passed')));
	assert.ok(matches(clock, fileResult('test/x.js', 'passed', [testCase('races the clock', 'passed')])));
	assert.ok(!matches(clock, fileResult('test/x.js', 'passed', [testCase('adds', 'passed')])));
	assert.ok(!matches(clock, fileResult('test/x.js', 'passed')));
});

test('a quarantined file is no failure: the run passes, and the counts name it', () => {
	const totals = [fileResult('a.js', 'passed'), fileResult('b.js', 'quarantined')].reduce(tally, emptyTotals);
	assert.deepEqual(totals.summary, {total: 2, passed: 1, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0, quarantined: 1});
	assert.equal(exitCodeFor(totals.summary), 0);
	const end: RunEnd = {schema: schemaVersion, type: 'run-end', runId: 'r', summary: totals.summary, durationMs: 10, testDurationMs: 200, exitCode: 0};
	assert.equal(summaryLines(end)[0], 'Pass: 1 passed, 0 failed, 1 quarantined of 2 files');
});

const runEnd = (extra: Partial<RunEnd> = {}): RunEnd => ({
	schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 1, passed: 1, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0}, durationMs: 10, testDurationMs: 10, exitCode: 0, ...extra,
});
const list: QuarantineList = {file: 'q.yml', entries};

test('an entry expires after its day, in UTC; an expired one fails the run, named with its owner, whatever ran', () => {
	assert.equal(utcDay(Date.parse('2027-01-31T23:59:59Z')), '2027-01-31');
	assert.deepEqual(expiredEntries(entries, '2027-01-31'), [], 'its last day still holds');
	assert.deepEqual(expiredEntries(entries, '2027-02-01'), [clock]);
	const failed = judged(runEnd(), list, {today: '2027-02-01', matched: new Set(entries), reported: true, everyFile: true});
	assert.equal(failed.exitCode, 1);
	assert.deepEqual(failed.quarantineExpired, [clock]);
	assert.equal(failed.quarantineUnmatched, undefined);
	assert.deepEqual(summaryLines(failed).slice(0, 2), [
		'Fail: 1 passed, 0 failed of 1 file',
		'Quarantine expired: "races the clock", owner @alice, expired 2027-01-31 (timing)',
	]);
	assert.equal(judged(runEnd({signal: 'SIGINT', exitCode: 130}), list, {today: '2027-02-01', matched: new Set(), reported: true, everyFile: true}).exitCode, 130, 'a cancel\'s code stays');
	assert.deepEqual(judged(runEnd(), list, {today: '2027-01-31', matched: new Set(entries), reported: true, everyFile: true}), runEnd(), 'nothing to say');
});

test('an entry that matched nothing is a note after a run of every file, and nothing after a share of them', () => {
	const noted = judged(runEnd(), list, {today: '2027-01-01', matched: new Set([clock]), reported: true, everyFile: true});
	assert.equal(noted.exitCode, 0);
	assert.deepEqual(noted.quarantineUnmatched, [slow]);
	assert.ok(summaryLines(noted).includes('Note: the quarantine entry test/slow/**/*.js (owner @ops) matched nothing in this run'));
	assert.equal(judged(runEnd(), list, {today: '2027-01-01', matched: new Set([clock]), reported: true, everyFile: false}).quarantineUnmatched, undefined);
	assert.deepEqual(judged(runEnd(), list, {today: '2027-01-01', matched: new Set(), reported: false, everyFile: true}).quarantineUnmatched, [slow], 'no test was reported: a test\'s entry could not match');
	const cancelled = runEnd({summary: {...runEnd().summary, total: 2, cancelled: 1}});
	assert.equal(judged(cancelled, list, {today: '2027-01-01', matched: new Set([clock]), reported: true, everyFile: true}).quarantineUnmatched, undefined);
});

const start: RunStart = {schema: schemaVersion, type: 'run-start', runId: 'r', startedAt: '2027-02-01T00:00:00.000Z', total: 2, concurrency: 2, image: 'img', engine: 'e'};
const ended = (result: FileResult): TestEnd => ({schema: schemaVersion, type: 'test-end', ...result});

test('on the run\'s events: test-ends marked before run-end is counted, run-end judged on the scheduler\'s day', async () => {
	const options = {quarantineList: list, lastFailed: false};
	const scheduler = {now: () => Date.parse('2027-02-01T08:00:00Z')} as SchedulerLike;
	const events: RunEvent[] = [start, ended(fileResult('test/a.js', 'failed', [testCase('races the clock', 'failed')])), ended(fileResult('test/b.js', 'passed'))];
	const marked = await lastValueFrom(from(events).pipe(quarantined(options), toArray()));
	assert.deepEqual(marked.map(event => (event.type === 'test-end' ? event.status : event.type)), ['run-start', 'quarantined', 'passed']);
	const judgedEvents = await lastValueFrom(from([...marked, runEnd()]).pipe(judgedByQuarantine(options, scheduler), toArray()));
	const end = judgedEvents.at(-1) as RunEnd;
	assert.deepEqual(end.quarantineExpired, [clock]);
	assert.deepEqual(end.quarantineUnmatched, [slow], 'test/slow/ had no file in the run');
	assert.equal(end.exitCode, 1);
	const none = await lastValueFrom(from(events).pipe(quarantined({}), judgedByQuarantine({lastFailed: false}, scheduler), toArray()));
	assert.deepEqual(none, events, 'without a list, every event as it is');
});

test('JUnit: a quarantined failure is a skipped testcase saying why and whose, and a marked test that passed a property', () => {
	const mark = {reason: 'timing', owner: '@alice'};
	const results = [
		fileResult('test/a.js', 'quarantined', [{...testCase('races the clock', 'failed'), message: 'expected 1', quarantined: mark}, {...testCase('adds', 'passed'), quarantined: mark}]),
		{...fileResult('test/slow/x.js', 'quarantined'), quarantined: {reason: 'staging is down', owner: '@ops'}, stdout: 'waiting\n', stdoutBytes: 8},
	];
	const file = path.join(folder(), 'junit.xml');
	writeFileSync(file, junitXml(start, results));
	const {suite, cases} = readJunit(file);
	assert.deepEqual(['tests', 'failures', 'errors', 'skipped'].map(name => suite.getAttribute(name)), ['3', '0', '0', '2']);
	assert.deepEqual(cases.map(({name, outcome}) => [name, outcome]), [['races the clock', 'skipped'], ['adds', 'passed'], ['test/slow/x.js', 'skipped']]);
	const skip = (index: number) => cases[index]!.element.getElementsByTagName('skipped')[0]!;
	assert.equal(skip(0).getAttribute('message'), 'quarantined: timing (@alice)');
	assert.equal(skip(0).textContent, 'expected 1');
	assert.equal(skip(2).getAttribute('message'), 'quarantined: staging is down (@ops)');
	assert.equal(cases[2]!.output, 'waiting\n');
	const property = cases[1]!.element.getElementsByTagName('property')[0]!;
	assert.deepEqual([property.getAttribute('name'), property.getAttribute('value')], ['quarantined', 'timing (@alice)']);
});

test('GitHub: a quarantined file is a notice, not an error; an expired entry an error; the step summary counts them', () => {
	const result = fileResult('test/a.js', 'quarantined', [{...testCase('races the clock', 'failed'), quarantined: {reason: 'timing', owner: '@alice'}}]);
	assert.deepEqual(quarantineNotices([result, fileResult('test/b.js', 'failed')]), ['::notice file=test/a.js,title=test/a.js%3A quarantined::✗ races the clock: timing (@alice)']);
	const end = runEnd({summary: {...runEnd().summary, quarantined: 1}, quarantineExpired: [clock], exitCode: 1});
	assert.deepEqual(expiredAnnotations(end), ['::error title=quarantine expired::Quarantine expired: "races the clock", owner @alice, expired 2027-01-31 (timing)']);
	assert.match(stepSummary(end, [result]), /Quarantined \(their failures did not fail the run\): 1 file\.\n\nQuarantine expired: "races the clock", owner @alice/);
});

test('merged runs (baleen report): a quarantined file counts as one, an entry expired in either run fails the merged one; the page gives it its colour', () => {
	const source = (name: string, result: FileResult, end: Partial<RunEnd>) => ({name, events: [{...start, runId: name, total: 1}, ended(result), runEnd({runId: name, ...end})]});
	const expiredEnd = {quarantineExpired: [clock], exitCode: 1};
	const {events} = mergeRuns([
		source('one', fileResult('test/a.js', 'quarantined', [{...testCase('races the clock', 'failed'), quarantined: {reason: 'timing', owner: '@alice'}}]), expiredEnd),
		source('two', fileResult('test/b.js', 'passed'), expiredEnd),
	]);
	const end = events.at(-1) as RunEnd;
	assert.equal(end.summary.quarantined, 1);
	assert.deepEqual(end.quarantineExpired, [clock]);
	assert.equal(end.exitCode, 1);
	const page = reportPage(events);
	assert.match(page, /<li id="f\d+" class="file quarantined" data-status="quarantined">/);
	assert.match(page, /<label class="filter quarantined"><input type="checkbox" value="quarantined" checked> 1 quarantined<\/label>/);
	assert.match(page, /\.file\.quarantined \.mark/);
	assert.match(page, /quarantine expired<\/dt><dd>&quot;races the clock&quot;, owner @alice/);
});
