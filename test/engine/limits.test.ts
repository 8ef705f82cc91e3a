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

test('a file the OOM killer ends at its --memory limit fails with reason "out of memory" and the limit in its hint', async () => {
	const directory = folder({'greedy.sh': 'echo filling; dd if=/dev/zero of=/dev/null bs=100M count=1\n', 'modest.sh': 'echo fine\n'});
	const {code, events, stderr} = await inSuite(directory, '--memory', '32m');
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
	const greedy = byFile(events).get('greedy.sh')!;
	assert.equal(greedy.status, 'failed');
	assert.equal(greedy.exitCode, 137);
	assert.equal(greedy.reason, 'out of memory');
	assert.match(greedy.hint ?? '', /over its memory limit of 32 MiB \(--memory\)/);
	assert.equal(byFile(events).get('modest.sh')?.reason, undefined);
	assert.match(stderr, /✗ failed +greedy\.sh \(exit 137: out of memory, .*32 MiB/);
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
