import assert from 'node:assert/strict';
import {test} from 'node:test';
import {byFile, inSuite, leftovers, runEnd, runStart} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

const megabyte = 1024 * 1024;

test('each file\'s test-end tells what its own container took: memory\'s peak, CPU time, processes at once; run-end adds them up', async () => {
	const directory = folder({
		// `tail` keeps the last line whole, and 120 MB of zeros are one line.
		'memory.sh': 'head -c 120m /dev/zero | tail -n 1 | wc -c\n',
		// Busy until its own CPU time (user and system, in ticks of 1/100 s) is 1.1 s, however loaded the machine.
		'cpu.sh': 'while read p c s pp pg se tt tp f mi cmi ma cma ut st rest < /proc/self/stat && [ $((ut + st)) -lt 110 ]; do :; done\n',
		'forks.sh': 'for i in $(seq 20); do sleep 2 & done; wait\n',
		'idle.sh': 'true\n',
	});
	const {code, events} = await inSuite(directory, '-j', '4');
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
