import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {byFile, inSuite, leftovers, runEnd, runStart} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {readJunit} from '../helpers/junit.js';

/** Fails the first time it runs and passes after: what it ran before is kept in the mounted suite folder. */
const flaky = '[ -e flaky.ran ] && { echo second; exit 0; }\ntouch flaky.ran\necho first >&2\nexit 1\n';

test('--retries: a file that fails once ends flaky with exit 0, every attempt in the JSON lines and the JUnit file', async () => {
	const directory = folder({'flaky.sh': flaky, 'fine.sh': 'echo ok\n'});
	const junit = path.join(directory, 'junit.xml');
	const {code, events, stderr} = await inSuite(directory, '--retries', '2', '--junit', junit);
	assert.equal(code, 0, stderr);
	const ends = byFile(events);
	assert.deepEqual([ends.get('flaky.sh')?.status, ends.get('flaky.sh')?.attempts, ends.get('fine.sh')?.status], ['flaky', 2, 'passed']);
	const retries = events.filter(event => event.type === 'test-retry');
	assert.deepEqual(retries.map(event => event.type === 'test-retry' && [event.file, event.attempt, event.status, event.exitCode, event.stderr]), [['flaky.sh', 1, 'failed', 1, 'first\n']]);
	// Each attempt had a container of its own.
	const starts = events.flatMap(event => event.type === 'test-start' && event.file === 'flaky.sh' ? [event] : []);
	assert.deepEqual(starts.map(start => start.attempt), [1, 2]);
	assert.notEqual(starts[0]!.containerId, starts[1]!.containerId);
	assert.deepEqual(runEnd(events)?.summary, {total: 2, passed: 1, flaky: 1, failed: 0, timedOut: 0, errored: 0, cancelled: 0});
	const testcase = readJunit(junit).cases.find(({name}) => name === 'flaky.sh')!.element;
	// What its container took comes first, as properties; then the attempt that failed.
	assert.deepEqual([...testcase.childNodes].flatMap(node => node.nodeType === 1 ? [node.nodeName] : []), ['properties', 'flakyFailure']);
	assert.deepEqual(leftovers(runStart(events).runId), []);
});

test('--fail-on-flaky: the same flaky file fails the run', async () => {
	const directory = folder({'flaky.sh': flaky});
	const {code, events} = await inSuite(directory, '--retries', '1', '--fail-on-flaky');
	assert.equal(code, 1);
	assert.equal(byFile(events).get('flaky.sh')?.status, 'flaky');
	assert.deepEqual(leftovers(runStart(events).runId), []);
});

test('a file that always fails ends failed after N+1 attempts, in the plain log too', async () => {
	const directory = folder({'bad.sh': 'echo nope; exit 3\n'});
	const {code, events, stderr} = await inSuite(directory, '--retries', '2');
	assert.equal(code, 1);
	const end = byFile(events).get('bad.sh');
	assert.deepEqual([end?.status, end?.attempts, end?.earlier?.map(attempt => attempt.exitCode)], ['failed', 3, [3, 3]]);
	assert.equal(events.filter(event => event.type === 'test-start').length, 3);
	assert.match(stderr, /↻ bad\.sh: exit 3, runs again \(attempt 2 of 3\)/);
	assert.match(stderr, /✗ failed +bad\.sh \(exit 3, .*attempts: exit 3, exit 3, exit 3\)/);
	assert.deepEqual(leftovers(runStart(events).runId), []);
});

test('--bail: after the first failure no new file starts; the files not run end cancelled; exit 1', async () => {
	const files = Object.fromEntries(Array.from({length: 6}, (_, index) => [`f${index}.sh`, index === 0 ? 'exit 1\n' : 'echo ok\n']));
	const directory = folder(files);
	const {code, events, stderr} = await inSuite(directory, '-j', '1', '--bail');
	assert.equal(code, 1);
	const ends = byFile(events);
	assert.equal(ends.get('f0.sh')?.status, 'failed');
	assert.deepEqual([...ends.values()].filter(end => end.file !== 'f0.sh').map(end => [end.status, end.containerId]), Array.from({length: 5}, () => ['cancelled', undefined]));
	assert.equal(events.filter(event => event.type === 'test-start').length, 1);
	assert.equal(runEnd(events)?.bailed, true);
	assert.match(stderr, /Bailed: 1 file failed, so 5 files did not run \(--bail\)/);
	assert.deepEqual(leftovers(runStart(events).runId), []);
});

test('--bail N counts files, not attempts, and a bad value is a usage error', async () => {
	const directory = folder({'a.sh': 'exit 1\n', 'b.sh': 'exit 1\n', 'c.sh': 'echo ok\n'});
	const {code, events} = await inSuite(directory, '-j', '1', '--bail', '2', '--retries', '1');
	assert.equal(code, 1);
	const ends = byFile(events);
	assert.deepEqual(['a.sh', 'b.sh', 'c.sh'].map(file => [ends.get(file)?.status, ends.get(file)?.attempts]), [['failed', 2], ['failed', 2], ['cancelled', 1]]);
	const wrong = await inSuite(directory, '--bail', '0');
	assert.equal(wrong.code, 2);
	assert.match(wrong.stderr, /--bail takes a whole number of failed files of at least 1, not "0"/);
	assert.deepEqual(leftovers(runStart(events).runId), []);
});
