import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {
	baleen, byFile, leftovers, runEnd, runStart, shellArgs, start,
} from '../helpers/cli.js';
import {repository} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';
import {readJunit} from '../helpers/junit.js';
import type {RunEvent} from '../../source/events.js';


const outcomeOf = {passed: 'passed', flaky: 'passed', failed: 'failure', 'timed-out': 'failure', error: 'error', cancelled: 'skipped', quarantined: 'skipped'} as const;

test('--junit: the demo suite\'s report says what its JSON lines say, file for file', async () => {
	const report = path.join(folder(), 'reports', 'junit.xml');
	const {code, events} = await baleen(['--config', 'example/baleen.yml', '--project', 'cart', '--junit', report], {cwd: repository});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
	const {suite, cases} = readJunit(report);
	const ends = byFile(events);
	assert.equal(cases.length, ends.size);
	for (const testcase of cases) {
		const end = ends.get(testcase.file!)!;
		assert.ok(end, `${testcase.file} is in the JSON lines`);
		assert.equal(testcase.outcome, outcomeOf[end.status], testcase.file!);
		assert.equal(testcase.time, Number((end.durationMs / 1000).toFixed(3)));
	}

	assert.match(cases.find(testcase => testcase.file === 'features/delivery.feature')!.output, /Free from 50\.00 exactly/);
	const {summary} = runEnd(events)!;
	assert.deepEqual(['tests', 'failures', 'errors', 'skipped'].map(name => Number(suite.getAttribute(name))), [summary.total, summary.failed + summary.timedOut, summary.errored, summary.cancelled]);
	assert.deepEqual(readdirSync(path.dirname(report)), ['junit.xml'], 'no partial file is left beside the report');
});

test('--junit after Ctrl-C: the report holds what finished, and the files that never ran as skipped', async () => {
	const directory = folder({'a-quick.sh': 'true\n', 'b-slow.sh': 'sleep 60\n', 'c-later.sh': 'sleep 60\n', 'd-later.sh': 'true\n'});
	const report = path.join(directory, 'junit.xml');
	const running = start(shellArgs(directory, '-j', '2', '--junit', 'junit.xml'), {cwd: directory});
	await running.until((events: RunEvent[]) => events.some(event => event.type === 'test-end' && event.file === 'a-quick.sh')
		&& events.filter(event => event.type === 'test-start').length >= 3);
	running.child.kill('SIGINT');
	const {code, events} = await running.done;
	assert.equal(code, 130);
	assert.deepEqual(leftovers(runStart(events).runId), []);
	const {cases} = readJunit(report);
	assert.deepEqual(Object.fromEntries(cases.map(({file, outcome}) => [file, outcome])), {
		'a-quick.sh': 'passed', 'b-slow.sh': 'skipped', 'c-later.sh': 'skipped', 'd-later.sh': 'skipped',
	});
});

test('--junit to a place it cannot be written: the run ends, with one line that says so, and exit 1', async () => {
	// A file where the report's folder would be: no folder can be made there, even by root.
	const directory = folder({'a.sh': 'true\n', reports: 'not a folder\n'});
	const {code, events, stderr} = await baleen(shellArgs(directory, '--junit', 'reports/junit.xml'), {cwd: directory});
	assert.equal(runEnd(events)?.summary.passed, 1);
	assert.equal(code, 1);
	assert.match(stderr, /^baleen: a report could not be written: .*reports/m);
	assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
	assert.deepEqual(leftovers(runStart(events).runId), []);
});
