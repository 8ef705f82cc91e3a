import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {RunEvent} from '../../source/events.js';
import {byFile, runEnd, runStart, shellArgs, start} from '../helpers/cli.js';
import {privateEngine} from '../helpers/dockerd.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';

/** An engine of the tests' own, to kill and start again without touching the machine's. */
const privately = privateEngine('restart', 51);

const onEngine = (runId: string) => privately().containersOf(runId);
const started = (count: number) => (events: RunEvent[]) => events.filter(event => event.type === 'test-start').length >= count;
const suite = () => folder(Object.fromEntries(Array.from({length: 6}, (_, index) => [`f${index}.sh`, 'sleep 3\necho done\n'])));

for (const [how, isolate] of [['kill -9', []], ['a stop (SIGTERM)', []], ['kill -9', ['--isolate', 'slot']]] as const) {
	test(`the engine restarted mid-run (${how}${isolate.length > 0 ? `, ${isolate.join(' ')}: the slots' containers went with it` : ''}): the files it cut short and the queued ones run again, each reported once, nothing left`, async () => {
		const engine = privately();
		const directory = suite();
		const running = start(shellArgs(directory, '-j', '3', ...isolate), {cwd: directory, env: {DOCKER_HOST: engine.host}});
		const before = await running.until(started(3));
		const {runId} = runStart(before);
		await (how === 'kill -9' ? engine.kill() : engine.stop());
		await engine.start();
		const {code, events, stderr} = await running.done;
		assert.equal(code, 0, stderr);
		const ends = byFile(events);
		assert.equal(events.filter(event => event.type === 'test-end').length, 6, 'each file ends once');
		assert.deepEqual([...ends.values()].map(end => end.status), Array.from({length: 6}, () => 'passed'));
		// The files the restart cut short had an attempt lost to it, told as such and never as a failure.
		// (Which ones depends on the engine: one whose container ends before it goes, or survives its kill, is not cut short.)
		const cut = [...ends.values()].filter(end => end.attempts > 1);
		// A stop gives running containers 10 s, which a 3 s file may outlive; a kill -9 cuts the three running files short.
		if (how === 'kill -9') {
			assert.ok(cut.length > 0, 'the restart cut some file short');
		}

		for (const end of cut) {
			assert.ok(end.earlier?.every(attempt => attempt.status === 'error' && attempt.lost), `${end.file}: ${JSON.stringify(end.earlier)}`);
		}

		const retries = events.filter(event => event.type === 'test-retry');
		assert.equal(retries.length, cut.reduce((sum, end) => sum + end.attempts - 1, 0));
		assert.ok(retries.every(event => event.type === 'test-retry' && event.lost));
		if (cut.length > 0) {
			assert.match(stderr, /went away .*not the test's doing: runs again/);
		}

		assert.deepEqual(runEnd(events)?.summary, {total: 6, passed: 6, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0});
		assert.deepEqual(onEngine(runId), [], 'what the restart left is removed');
	});
}

test('an engine that does not come back within --engine-wait: the rest end as errors with one message; nothing left once it is back', async () => {
	const engine = privately();
	const directory = suite();
	const running = start(shellArgs(directory, '-j', '3', '--engine-wait', '3'), {cwd: directory, env: {DOCKER_HOST: engine.host}});
	const {runId} = runStart(await running.until(started(3)));
	await engine.kill();
	const {code, events, stderr} = await running.done;
	assert.equal(code, 1);
	const ends = [...byFile(events).values()];
	assert.equal(ends.length, 6);
	assert.deepEqual(new Set(ends.map(end => end.status)), new Set(['error']));
	for (const end of ends) {
		assert.match(end.error ?? '', new RegExp(`the Docker engine at ${engine.host} went away and did not answer again within 3 s \\(--engine-wait\\)`), end.file);
	}

	assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
	await engine.start();
	// The reaper, left behind by baleen, keeps at the engine until it answers.
	await until(() => onEngine(runId).length === 0, `the containers of run ${runId} to go once the engine is back`, 30_000);
});
