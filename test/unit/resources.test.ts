import assert from 'node:assert/strict';
import {test} from 'node:test';
import {schemaVersion, type RunEvent, type TestEnd} from '../../source/events.js';
import {joinResources, parseResources} from '../../source/resources/figures.js';
import {addUsage, emptyUsage, usageOf} from '../../source/resources/usage.js';
import {summaryLines} from '../../source/words/lines.js';
import {usageLines} from '../../source/words/usage.js';

const megabyte = 1024 * 1024;

test('cgroup v1\'s figures: the memory\'s highest usage, cpuacct\'s nanoseconds as milliseconds, the sampled processes', () => {
	assert.deepEqual(parseResources('max_usage_in_bytes 4239360\ncpuacct.usage 206474267\npids.sampled 22\n'), {cpuMs: 206, pidsPeak: 22});
	assert.deepEqual(parseResources('memory.max_usage_in_bytes 4239360\ncpuacct.usage 206474267\npids.sampled 22\n'), {memoryPeakBytes: 4_239_360, cpuMs: 206, pidsPeak: 22});
});

test('cgroup v2\'s figures: memory.peak, cpu.stat\'s usage_usec, pids.peak; they win over v1\'s', () => {
	const text = 'memory.peak 125829120\npids.peak 21\ncpu.stat.usage_usec 1012345\ncpu.stat.user_usec 1000000\ncpu.stat.system_usec 12345\ncpu.stat.nr_periods 0\n';
	assert.deepEqual(parseResources(text), {memoryPeakBytes: 125_829_120, cpuMs: 1012, pidsPeak: 21});
	assert.deepEqual(parseResources(`memory.max_usage_in_bytes 1\ncpuacct.usage 1000000\npids.sampled 1\n${text}`), {memoryPeakBytes: 125_829_120, cpuMs: 1012, pidsPeak: 21});
});

test('a figure the file lacks is absent, and a file with none (or garbage) has no resources', () => {
	assert.deepEqual(parseResources('cpu.stat.usage_usec 2500\n'), {cpuMs: 3});
	assert.equal(parseResources(''), undefined);
	assert.equal(parseResources('memory.peak max\nnot a line\n'), undefined);
});

test('a split file\'s parts: CPU added up, the highest of each peak; parts not measured add nothing', () => {
	assert.deepEqual(joinResources([{memoryPeakBytes: 10, cpuMs: 5, pidsPeak: 3}, undefined, {memoryPeakBytes: 30, cpuMs: 7}]), {memoryPeakBytes: 30, cpuMs: 12, pidsPeak: 3});
	assert.equal(joinResources([undefined, undefined]), undefined);
});

const end = (file: string, resources: TestEnd['resources'], extra: Partial<TestEnd> = {}): RunEvent => ({
	schema: schemaVersion, type: 'test-end', file, status: 'passed', exitCode: 0, durationMs: 1000, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, containerId: 'c', attempts: 1, ...(resources && {resources}), ...extra,
});

const start: RunEvent = {schema: schemaVersion, type: 'run-start', runId: 'r', startedAt: '', total: 3, concurrency: 2, image: 'i', engine: 'unix:///var/run/docker.sock'};

test('run-end\'s usage: per engine, every attempt\'s lifetime and the CPU; the heaviest first; a --memory of 1.5 × the peak; the files near the one given', () => {
	const events = [
		start,
		end('light.sh', {memoryPeakBytes: 4 * megabyte, cpuMs: 100, pidsPeak: 2}),
		end('heavy.sh', {memoryPeakBytes: 60 * megabyte, cpuMs: 1500, pidsPeak: 3}, {earlier: [{status: 'failed', exitCode: 1, durationMs: 500}]}),
		end('far.sh', {memoryPeakBytes: 20 * megabyte, cpuMs: 10}, {engine: 'ssh://other'}),
		end('never.sh', undefined, {status: 'cancelled', containerId: undefined}),
	];
	const usage = usageOf(events.reduce(addUsage, emptyUsage()), 64 * megabyte);
	assert.deepEqual(usage, {
		engines: [{engine: 'unix:///var/run/docker.sock', containerSeconds: 2.5, cpuSeconds: 1.6}, {engine: 'ssh://other', containerSeconds: 1, cpuSeconds: 0.01}],
		heaviest: [
			{file: 'heavy.sh', memoryPeakBytes: 60 * megabyte, cpuMs: 1500, pidsPeak: 3},
			{file: 'far.sh', memoryPeakBytes: 20 * megabyte, cpuMs: 10},
			{file: 'light.sh', memoryPeakBytes: 4 * megabyte, cpuMs: 100, pidsPeak: 2},
		],
		suggestedMemoryBytes: 90 * megabyte,
		memoryLimitBytes: 64 * megabyte,
		nearMemoryLimit: ['heavy.sh'],
	});
	assert.deepEqual(usageLines({usage}), [
		'Heaviest: heavy.sh 60 MiB (1.5s CPU, 3 processes), far.sh 20 MiB (10ms CPU), light.sh 4 MiB (100ms CPU, 2 processes)',
		'Memory: --memory 90m would hold every file (1.5 × the highest peak, 60 MiB)',
		'Near the limit: heavy.sh (60 MiB) came within 10 % of --memory 64 MiB',
	]);
});

test('no file measured: no usage, and the summary is as before', () => {
	assert.equal(usageOf([start, end('a.sh', undefined)].reduce(addUsage, emptyUsage())), undefined);
	const runEnd = {schema: schemaVersion, type: 'run-end', runId: 'r', summary: {total: 1, passed: 1, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0}, durationMs: 1000, testDurationMs: 1000, exitCode: 0} as const;
	assert.deepEqual(summaryLines(runEnd), ['Pass: 1 passed, 0 failed of 1 file', 'Time: 1.0s']);
	const usage = usageOf([start, end('a.sh', {memoryPeakBytes: 2 * megabyte})].reduce(addUsage, emptyUsage()));
	assert.deepEqual(summaryLines({...runEnd, ...(usage && {usage})}).slice(2), ['Heaviest: a.sh 2 MiB', 'Memory: --memory 3m would hold every file (1.5 × the highest peak, 2 MiB)']);
});
