import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {measured} from '../../source/resources/probe.js';
import {byFile, inSuite, leftovers, notTheRun, runEnd, runStart, shellImage} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {readJunit} from '../helpers/junit.js';

const megabyte = 1024 * 1024;

test('each file\'s test-end tells what its own container took: memory\'s peak, CPU time, processes at once; run-end adds them up; JUnit, the output dir, the history and the summary tell the same', async () => {
	const directory = folder({
		// `tail` keeps the last line whole, and 120 MB of zeros are one line.
		'memory.sh': 'head -c 120m /dev/zero | tail -n 1 | wc -c\n',
		// Busy until its own CPU time (user and system, in ticks of 1/100 s) is 1.1 s, however loaded the machine.
		'cpu.sh': 'while read p c s pp pg se tt tp f mi cmi ma cma ut st rest < /proc/self/stat && [ $((ut + st)) -lt 110 ]; do :; done\n',
		'forks.sh': 'for i in $(seq 20); do sleep 2 & done; wait\n',
		// Ends before a sampler (cgroup v1's processes, every 0.2 s) could look twice: its figures are read as it ends all the same.
		'idle.sh': 'true\n',
	});
	const {code, events, stderr} = await inSuite(directory, '-j', '4', '--output-dir', 'out', '--junit', 'junit.xml');
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 0);
	const ends = byFile(events);
	const resources = (file: string) => {
		const measured = ends.get(file)?.resources;
		assert.ok(measured, `${file} has resources`);
		return measured;
	};

	assert.ok(resources('memory.sh').memoryPeakBytes! > 100 * megabyte, `memory.sh: ${resources('memory.sh').memoryPeakBytes}`);
	assert.ok(resources('idle.sh').memoryPeakBytes! < 40 * megabyte, `idle.sh: ${resources('idle.sh').memoryPeakBytes}`);
	assert.ok(resources('cpu.sh').cpuMs! >= 800, `cpu.sh: ${resources('cpu.sh').cpuMs}`);
	assert.ok(resources('idle.sh').cpuMs! < 300, `idle.sh: ${resources('idle.sh').cpuMs}`);
	assert.ok(resources('forks.sh').pidsPeak! >= 20, `forks.sh: ${resources('forks.sh').pidsPeak}`);
	assert.ok(resources('idle.sh').pidsPeak! < 20, `idle.sh: ${resources('idle.sh').pidsPeak}`);

	const usage = runEnd(events)?.usage;
	assert.ok(usage);
	assert.equal(usage.heaviest[0]?.file, 'memory.sh');
	assert.equal(usage.suggestedMemoryBytes, Math.ceil(resources('memory.sh').memoryPeakBytes! * 1.5));
	const [engine] = usage.engines;
	assert.equal(usage.engines.length, 1);
	assert.ok(engine!.cpuSeconds >= 0.8 && engine!.containerSeconds >= 4, JSON.stringify(engine));

	const figures = (measured: Record<string, unknown>) => Object.fromEntries(Object.entries(measured).map(([name, value]) => [name, String(value)]));
	const {cases} = readJunit(path.join(directory, 'junit.xml'));
	for (const {file, element} of cases) {
		const properties = [...element.getElementsByTagName('property')].map(property => [property.getAttribute('name'), property.getAttribute('value')]);
		assert.deepEqual(Object.fromEntries(properties), figures(resources(file)), `${file}'s testcase properties`);
	}

	assert.equal(cases.length, 4);
	for (const file of ends.keys()) {
		assert.deepEqual(JSON.parse(readFileSync(path.join(directory, 'out', 'files', file, 'resources.json'), 'utf8')), resources(file), `${file} in the output dir`);
		assert.doesNotMatch(readFileSync(path.join(directory, 'out', 'files', file, 'stderr.log'), 'utf8'), /baleen-resources/);
	}

	const history = JSON.parse(readFileSync(path.join(directory, '.baleen', 'resources.json'), 'utf8')) as {projects: Record<string, Record<string, unknown>>};
	assert.deepEqual(Object.values(history.projects)[0]!['forks.sh'], resources('forks.sh'), 'the history keeps them for a later run');
	// Printed once, after the time.
	assert.equal(stderr.match(/^Heaviest: memory\.sh \d/gm)?.length, 1, stderr);
	assert.equal(stderr.match(/^Memory: --memory \d+m would hold every file \(1\.5 × the highest peak, /gm)?.length, 1, stderr);
});

test('with --memory, a file that came within 10 % of it is named; the test\'s own exit code stays its own', async () => {
	const directory = folder({
		'near.sh': 'head -c 58m /dev/zero | tail -n 1 | wc -c; exit 3\n',
		'far.sh': 'true\n',
	});
	const {code, events, stderr} = await inSuite(directory, '--memory', '64m');
	assert.equal(code, 1);
	const ends = byFile(events);
	assert.equal(ends.get('near.sh')?.exitCode, 3);
	assert.deepEqual(runEnd(events)?.usage?.nearMemoryLimit, ['near.sh']);
	assert.match(stderr, /near\.sh .*within 10 % of --memory 64 MiB/);
});

test('a file that ends at once still has its processes\' figure: the sampler, ended as it writes, never leaves it half written (once 2 runs in 3 had none)', () => {
	// Not as pid 1, so many runs fit in one container; the sampler is ended the same way.
	const script = measured('true', 'MARK');
	const runs = 100;
	const counts = execFileSync('docker', ['run', '--rm', ...notTheRun, shellImage, 'sh', '-c', `for i in $(seq ${runs}); do sh -c "$1" >/dev/null 2>/tmp/stderr; grep -c '^pids.sampled [0-9]' /tmp/stderr; done`, 'sh', script], {encoding: 'utf8'});
	assert.deepEqual(counts.trim().split('\n').filter(count => count !== '1'), [], `runs without the figure, of ${runs}`);
});
