import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {z} from 'zod';
import {baleen, leftovers, runStart, shellArgs, start} from '../helpers/cli.js';
import {removeImage, testTag} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';

/**
The JSON lines' contract as docs/json-lines.md documents it, field by field: each event is a strict object
(a field missing, renamed or added fails), `schema` is 2 on every line.
*/
const schema = z.literal(2);
const status = z.enum(['passed', 'flaky', 'failed', 'timed-out', 'error', 'cancelled']);
const count = z.number().int().nonnegative();
const testCounts = z.strictObject({total: count, passed: count, failed: count, skipped: count});
const figures = {memoryPeakBytes: count.optional(), cpuMs: count.optional(), pidsPeak: count.optional()};
const seconds = z.number().nonnegative();
const result = {
	file: z.string(),
	status,
	exitCode: z.number().int().nullable(),
	durationMs: count,
	stdout: z.string(),
	stderr: z.string(),
	stdoutBytes: count,
	stderrBytes: count,
	containerId: z.string().min(1).optional(),
	error: z.string().optional(),
	hint: z.string().optional(),
	reason: z.literal('out of memory').optional(),
	lost: z.literal(true).optional(),
	tests: testCounts.optional(),
	testcases: z.array(z.strictObject({
		name: z.string(), classname: z.string().optional(), timeMs: count.optional(), status: z.enum(['passed', 'failed', 'error', 'skipped']), message: z.string().optional(), details: z.string().optional(),
	})).optional(),
	resultsError: z.string().optional(),
	artifactErrors: z.array(z.string()).optional(),
	outputFolder: z.string().optional(),
	// Absent for a file that never started (cancelled before its turn).
	endedAt: count.optional(),
	resources: z.strictObject(figures).optional(),
};
const attempt = z.strictObject({
	status, exitCode: result.exitCode, durationMs: count, error: result.error, reason: result.reason, lost: result.lost,
});
const documented = z.discriminatedUnion('type', [
	z.strictObject({schema, type: z.literal('build-start'), image: z.string(), context: z.string()}),
	z.strictObject({
		schema,
		type: z.literal('run-start'),
		runId: z.string().min(1),
		startedAt: z.iso.datetime(),
		total: count,
		concurrency: count,
		image: z.string(),
		engine: z.string(),
		command: z.string(),
		version: z.string(),
		notes: z.array(z.string()).optional(),
		retries: count.optional(),
		bail: count.optional(),
	}),
	z.strictObject({
		schema, type: z.literal('test-start'), file: z.string(), containerId: z.string().min(1), at: count, attempt: count.min(1), maxAttempts: count.min(1), slot: count,
	}),
	z.strictObject({schema, type: z.literal('test-retry'), attempt: count.min(1), maxAttempts: count.min(1), ...result}),
	z.strictObject({
		schema, type: z.literal('test-end'), attempts: count.min(1), earlier: z.array(attempt).optional(), ...result,
	}),
	z.strictObject({
		schema,
		type: z.literal('run-end'),
		runId: z.string().min(1),
		summary: z.strictObject({
			total: count, passed: count, flaky: count, failed: count, timedOut: count, errored: count, cancelled: count,
		}),
		durationMs: count,
		testDurationMs: count,
		tests: testCounts.optional(),
		exitCode: z.number().int(),
		signal: z.enum(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE']).optional(),
		usage: z.strictObject({
			engines: z.array(z.strictObject({engine: z.string(), containerSeconds: seconds, cpuSeconds: seconds})).min(1),
			heaviest: z.array(z.strictObject({file: z.string(), ...figures})).min(1).max(3),
			suggestedMemoryBytes: count.optional(),
			memoryLimitBytes: count.optional(),
			nearMemoryLimit: z.array(z.string()).optional(),
		}).optional(),
	}),
]);

/** Every line of a CLI's stdout, checked against the contract; the events, parsed. */
function checked(stdout: string): Array<z.infer<typeof documented>> {
	assert.ok(stdout.endsWith('\n'), 'every line ends');
	return stdout.slice(0, -1).split('\n').map((line, index) => {
		const parsed = documented.safeParse(JSON.parse(line));
		assert.ok(parsed.success, `line ${index + 1} breaks the documented schema: ${line}\n${parsed.error?.message}`);
		return parsed.data;
	});
}

const image = testTag('json-lines');
after(async () => {
	await removeImage(image);
});

test('the JSON lines of a real run, with a build, a pass, a failure and a timeout, keep to the documented schema', async () => {
	const scripts = {'pass.sh': 'echo ok\n', 'fail.sh': 'echo bad >&2; exit 3\n', 'slow.sh': 'sleep 30\n'};
	// tag.txt makes the image this test's alone: another run of the suite would otherwise share it through the cache.
	const context = folder({Dockerfile: 'FROM baleen-test-shell\nCOPY . /suite\n', 'tag.txt': `${image}\n`, ...scripts});
	const {code, stdout} = await baleen(['--build', '.', '-i', image, '-w', '/suite', '-c', 'sh {file}', '--timeout', '2', '*.sh'], {cwd: context});
	assert.equal(code, 1);
	const events = checked(stdout);
	assert.deepEqual(events.map(event => event.type).filter((type, index, all) => all.indexOf(type) === index), ['build-start', 'run-start', 'test-start', 'test-end', 'run-end']);
	assert.deepEqual(new Set(events.flatMap(event => event.type === 'test-end' ? [event.status] : [])), new Set(['passed', 'failed', 'timed-out']));
	assert.deepEqual(leftovers(runStart(events).runId), []);
});

test('the JSON lines of a cancelled run keep to it too: cancelled files with and without a container, and the signal', async () => {
	const directory = folder(Object.fromEntries(Array.from({length: 4}, (_, index) => [`s${index}.sh`, 'sleep 60\n'])));
	const running = start(shellArgs(directory, '-j', '2'), {cwd: directory});
	await running.until(events => events.filter(event => event.type === 'test-start').length === 2);
	running.child.kill('SIGINT');
	const {code, stdout} = await running.done;
	assert.equal(code, 130);
	const events = checked(stdout);
	const ends = events.flatMap(event => event.type === 'test-end' ? [event] : []);
	assert.deepEqual(ends.map(end => [end.status, end.containerId !== undefined]).sort(), [['cancelled', false], ['cancelled', false], ['cancelled', true], ['cancelled', true]]);
	const end = events.at(-1);
	assert.equal(end?.type === 'run-end' ? end.signal : end?.type, 'SIGINT');
	assert.deepEqual(leftovers(runStart(events).runId), []);
});

test('the JSON lines with --results, --output-dir and --artifacts keep to it: tests, testcases, the results error, artifact errors, the output folder', async () => {
	const directory = folder({
		'tests.sh': 'echo \'<testsuite><testcase name="a"/><testcase name="b"><failure message="no">x</failure></testcase><testcase name="c"><skipped/></testcase></testsuite>\' > /tmp/r.xml; exit 1\n',
		'none.sh': 'true\n',
	});
	const {code, stdout} = await baleen(shellArgs(directory, '--results', '/tmp/r.xml', '--output-dir', 'out', '--artifacts', '/nowhere'), {cwd: directory});
	assert.equal(code, 1);
	const events = checked(stdout);
	const ends = new Map(events.flatMap(event => event.type === 'test-end' ? [[event.file, event]] : []));
	assert.deepEqual(ends.get('tests.sh')?.testcases?.map(({name, status}) => `${name} ${status}`), ['a passed', 'b failed', 'c skipped']);
	assert.ok(ends.get('none.sh')?.resultsError);
	assert.deepEqual([...ends.values()].map(end => [end.artifactErrors?.length, end.outputFolder !== undefined]), [[1, true], [1, true]]);
	const end = events.at(-1);
	assert.deepEqual(end?.type === 'run-end' && end.tests, {total: 3, passed: 1, failed: 1, skipped: 1});
	assert.deepEqual(leftovers(runStart(events).runId), []);
});
