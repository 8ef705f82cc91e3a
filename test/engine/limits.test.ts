import assert from 'node:assert/strict';
import {test} from 'node:test';
import {byFile, inSuite, leftovers, runStart} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

test('--memory, --cpus and --pids-limit are each test container\'s limits, as its cgroups see them', async () => {
	const directory = folder({'limits.sh': 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max\n'});
	const {code, events} = await inSuite(directory, '--memory', '32m', '--cpus', '0.5', '--pids-limit', '7');
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 0);
	assert.equal(byFile(events).get('limits.sh')?.stdout, '33554432\n50000\n7\n');
});

test('every file the OOM killer ends at its --memory limit fails with reason "out of memory", 8 at once, and a runner that exits 1 after its child was killed too', async () => {
	// Each allocates 100 MB within moments of its start: the engine itself loses some of these (see out-of-memory.ts).
	const greedy = Array.from({length: 24}, (_, index) => `greedy${String(index + 1).padStart(2, '0')}.sh`);
	const directory = folder({
		...Object.fromEntries(greedy.map(file => [file, 'echo filling; dd if=/dev/zero of=/dev/null bs=100M count=1\n'])),
		'runner.sh': 'sh -c "dd if=/dev/zero of=/dev/null bs=100M count=1"; echo "runner: a test process died"; exit 1\n',
		'failing.sh': 'echo "not memory"; exit 1\n',
		'modest.sh': 'echo fine\n',
	});
	const {code, events, stderr} = await inSuite(directory, '--memory', '32m', '-j', '8');
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
	const ends = byFile(events);
	const outcome = (file: string) => [ends.get(file)?.status, ends.get(file)?.exitCode, ends.get(file)?.reason];
	assert.deepEqual(greedy.filter(file => ends.get(file)?.reason !== 'out of memory').map(file => [file, ...outcome(file)]), []);
	for (const file of greedy) {
		assert.deepEqual(outcome(file), ['failed', 137, 'out of memory'], file);
		assert.match(ends.get(file)?.hint ?? '', /over its memory limit of 32 MiB \(--memory\)/);
	}

	assert.deepEqual(outcome('runner.sh'), ['failed', 1, 'out of memory']);
	assert.equal(ends.get('runner.sh')?.stdout, 'runner: a test process died\n');
	assert.deepEqual(outcome('failing.sh'), ['failed', 1, undefined]);
	assert.deepEqual(outcome('modest.sh'), ['passed', 0, undefined]);
	assert.match(stderr, /✗ failed +greedy01\.sh \(exit 137: out of memory, .*32 MiB/);
});

test('a limit the engine would refuse is one line and exit 2, before any container', async () => {
	const directory = folder({'a.sh': 'true\n'});
	for (const [flag, value, message] of [
		['--memory', '1k', /^baleen: --memory takes a size of at least 6m, e\.g\. 512m or 2g, not "1k"$/m],
		['--cpus', 'half', /^baleen: --cpus takes a number of CPUs greater than 0/m],
		['--pids-limit', '0', /^baleen: --pids-limit takes a whole number of processes of at least 1/m],
	] as const) {
		// eslint-disable-next-line no-await-in-loop
		const {code, stderr, events} = await inSuite(directory, flag, value);
		assert.equal(code, 2, `${flag} ${value}`);
		assert.match(stderr, message);
		assert.deepEqual(events, []);
	}
});
