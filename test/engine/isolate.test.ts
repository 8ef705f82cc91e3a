import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {RunEvent, TestEnd} from '../../source/events.js';
import {baleen, byFile, leftovers, notTheRun, runEnd, runStart, shellArgs, start, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {runPreset} from '../helpers/preset.js';
import {until} from '../helpers/poll.js';

/** Every shell file of a folder at `-j 1 --isolate slot`: one slot, its files in name order. */
async function inSlot(files: Record<string, string>, ...extra: string[]) {
	const directory = folder(files);
	const run = await baleen(shellArgs(directory, '-j', '1', '--isolate', 'slot', ...extra), {cwd: directory});
	assert.deepEqual(leftovers(runStart(run.events).runId), [], 'nothing of the run is left');
	return {...run, ends: byFile(run.events), directory};
}

/** The container each attempt of a file ran in, in order. */
const containersOf = (events: RunEvent[], file: string) => events.flatMap(event => (event.type === 'test-start' && event.file === file ? [event.containerId] : []));

/** What pid 1 of the file's container is: the slot's helper, or the file's own command in a container of its own. */
const pidOne = 'tr "\\0" " " < /proc/1/cmdline | grep -q baleen_nonce && echo "pid 1: helper" || echo "pid 1: own"';

test('--isolate slot: a slot\'s files run one after another in one container, each with its exit code, stdout and stderr; a background process a file left is gone before the next starts, its environment too', async () => {
	const {code, ends, events} = await inSlot({
		'a.sh': `export LEAK=1\nsleep 300 &\necho "a out"; echo "a err" >&2\n${pidOne}\n`,
		'b.sh': 'if ps | grep -q "[s]leep 300"; then echo "a\'s sleep is still there"; exit 1; fi\necho "LEAK=${LEAK:-unset}"; echo "b err" >&2\n',
		'c.sh': 'echo "c out"; printf "no newline at the end"; exit 3\n',
		'd.sh': 'echo "d out"\n',
	});
	assert.equal(code, 1);
	assert.deepEqual([...ends.values()].map(end => [end.file, end.status, end.exitCode]), [['a.sh', 'passed', 0], ['b.sh', 'passed', 0], ['c.sh', 'failed', 3], ['d.sh', 'passed', 0]]);
	assert.deepEqual([...ends.values()].map(end => [end.stdout, end.stderr]), [
		['a out\npid 1: helper\n', 'a err\n'],
		['LEAK=unset\n', 'b err\n'],
		['c out\nno newline at the end', ''],
		['d out\n', ''],
	]);
	const [a, b, c, d] = ['a.sh', 'b.sh', 'c.sh', 'd.sh'].map(file => containersOf(events, file)[0]);
	assert.ok(a === b && b === c, 'the slot\'s files share its container');
	assert.notEqual(d, c, 'a failed file\'s container is replaced');
	// A slot's container outlives its files: its cgroup's figures would be no one file's.
	assert.deepEqual([...ends.values()].filter(end => end.resources !== undefined), []);
	assert.equal(runEnd(events)?.exitCode, 1);
});

test('--isolate slot: the file system is shared between a slot\'s files, until its container is replaced', async () => {
	const {ends} = await inSlot({
		'a.sh': 'echo left > /tmp/mark\n',
		'b.sh': 'cat /tmp/mark; exit 1\n',
		'c.sh': 'cat /tmp/mark 2>/dev/null || echo "no mark"\n',
	});
	assert.deepEqual([...ends.values()].map(end => end.stdout), ['', 'left\n', 'no mark\n']);
});

test('--isolate slot --isolate-reuse 2: a container runs two files, then the slot gets a new one', async () => {
	const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map(name => [`${name}.sh`, 'true\n']));
	const {code, events} = await inSlot(files, '--isolate-reuse', '2');
	assert.equal(code, 0);
	const ids = Object.keys(files).map(file => containersOf(events, file)[0]);
	assert.deepEqual(ids.map(id => ids.indexOf(id!)), [0, 0, 2, 2, 4]);
});

test('--isolate slot --timeout: the timed-out file\'s processes are killed, and the slot goes on in a new container', async () => {
	const {code, ends, events} = await inSlot({
		'a.sh': 'sleep 300 &\necho started\nsleep 300\n',
		'b.sh': `if ps | grep -q "[s]leep 300"; then echo "a's processes are still there"; exit 1; fi\n${pidOne}\n`,
	}, '--timeout', '2');
	assert.equal(code, 1);
	assert.deepEqual([ends.get('a.sh')?.status, ends.get('a.sh')?.stdout], ['timed-out', 'started\n']);
	assert.deepEqual([ends.get('b.sh')?.status, ends.get('b.sh')?.stdout], ['passed', 'pid 1: helper\n']);
	assert.notEqual(containersOf(events, 'a.sh')[0], containersOf(events, 'b.sh')[0]);
});

test('--isolate slot --retries: a retry runs in a fresh container of its own, not in a slot\'s', async () => {
	const {code, ends, events} = await inSlot({
		'a.sh': `${pidOne}\nif [ -e /state/tried ]; then exit 0; fi\n: > /state/tried; exit 1\n`,
		'b.sh': `${pidOne}\n`,
	}, '--retries', '1', '-m', `${folder()}:/state`);
	assert.equal(code, 0);
	const a = ends.get('a.sh')!;
	assert.deepEqual([a.status, a.attempts, a.stdout], ['flaky', 2, 'pid 1: own\n']);
	assert.equal(ends.get('b.sh')?.stdout, 'pid 1: helper\n');
	const [first, retry] = containersOf(events, 'a.sh');
	assert.equal(new Set([first, retry, containersOf(events, 'b.sh')[0]]).size, 3);
});

test('--isolate slot --memory: a file the OOM killer ends is named, and the slot\'s next file runs in a new container', async () => {
	const {ends, events} = await inSlot({
		'a.sh': 'echo filling; dd if=/dev/zero of=/dev/null bs=100M count=1\n',
		'b.sh': 'echo fine\n',
	}, '--memory', '32m');
	assert.deepEqual([ends.get('a.sh')?.status, ends.get('a.sh')?.reason], ['failed', 'out of memory']);
	assert.match(ends.get('a.sh')?.hint ?? '', /over its memory limit of 32 MiB/);
	assert.equal(ends.get('b.sh')?.status, 'passed');
	assert.notEqual(containersOf(events, 'a.sh')[0], containersOf(events, 'b.sh')[0]);
});

test('--isolate slot: results and artifacts come out per file, only the file\'s own', async () => {
	const {ends, directory} = await inSlot({
		'a.sh': 'mkdir -p /tmp/shots && echo a > /tmp/shots/a.txt && echo "<testsuite><testcase name=\\"a\\"/></testsuite>" > /tmp/results.xml\n',
		'b.sh': 'mkdir -p /tmp/shots && echo b > /tmp/shots/b.txt\n',
		// Some 250 KB of results, sent by the slot's helper in many chunks after the file's own output.
		'c.sh': 'echo own output; { echo "<testsuite>"; i=0; while [ $i -lt 4000 ]; do echo "<testcase name=\\"test $i of a long results file\\" classname=\\"c\\"/>"; i=$((i + 1)); done; echo "</testsuite>"; } > /tmp/results.xml\n',
	}, '--results', '/tmp/results.xml', '--output-dir', 'out', '--artifacts', '/tmp/shots');
	assert.deepEqual((ends.get('a.sh') as TestEnd).testcases?.map(test => test.name), ['a']);
	assert.equal((ends.get('b.sh') as TestEnd).testcases, undefined, 'b wrote no results: a\'s are not b\'s');
	const shots = (file: string) => readdirSync(`${directory}/out/files/${file}/artifacts/shots`).sort();
	assert.deepEqual([shots('a.sh'), shots('b.sh')], [['a.txt'], ['b.txt']]);
	const c = ends.get('c.sh') as TestEnd;
	assert.equal(c.stdout, 'own output\n');
	assert.deepEqual(c.testcases?.map(test => test.name), Array.from({length: 4000}, (_, index) => `test ${index} of a long results file`));
});

test('--isolate slot --keep-failed: the slot\'s container is kept as the failing file left it, what earlier files wrote too', async () => {
	const {ends, events} = await inSlot({'a.sh': 'echo earlier > /tmp/earlier\n', 'b.sh': 'echo evidence > /tmp/evidence; exit 1\n'}, '--keep-failed');
	const kept = ends.get('b.sh')?.kept;
	assert.ok(kept, 'the failed file names its kept image');
	try {
		assert.equal(execFileSync('docker', ['run', '--rm', ...notTheRun, '--entrypoint', 'cat', kept.image, '/tmp/earlier', '/tmp/evidence'], {encoding: 'utf8'}), 'earlier\nevidence\n');
		assert.equal(ends.get('a.sh')?.kept, undefined);
	} finally {
		execFileSync('docker', ['rmi', '-f', kept.image]);
	}

	assert.equal(containersOf(events, 'a.sh')[0], containersOf(events, 'b.sh')[0]);
});

/** A file that leaves a mark beside itself once it runs (`sh FILE`: $0 is the file), then sleeps. */
const sleeper = 'echo sleeping; : > "$0.awake"; sleep 300\n';
const awake = (directory: string) => readdirSync(directory).some(name => name.endsWith('.awake'));

test('--isolate slot: Ctrl-C mid-file cancels it and leaves nothing', async () => {
	const directory = folder({'a.sh': sleeper, 'b.sh': 'true\n'});
	const running = start(shellArgs(directory, '-j', '1', '--isolate', 'slot'), {cwd: directory});
	await until(() => awake(directory), 'a.sh to start', 60_000);
	running.child.kill('SIGINT');
	const {code, events} = await running.done;
	assert.equal(code, 130);
	assert.deepEqual(testEnds(events).map(end => [end.file, end.status]), [['a.sh', 'cancelled'], ['b.sh', 'cancelled']]);
	assert.deepEqual(leftovers(runStart(events).runId), []);
});

test('--isolate slot: kill -9 of baleen leaves the slot\'s container to the reaper', async () => {
	const directory = folder({'a.sh': sleeper});
	const running = start(shellArgs(directory, '-j', '1', '--isolate', 'slot'), {cwd: directory});
	const events = await running.until(seen => seen.some(event => event.type === 'test-start'));
	await until(() => awake(directory), 'a.sh to start', 60_000);
	const {runId} = runStart(events);
	process.kill(running.child.pid!, 'SIGKILL');
	await running.done;
	const onEngine = () => execFileSync('docker', ['ps', '-aq', '--filter', `label=baleen.run=${runId}`], {encoding: 'utf8'}).trim();
	await until(() => onEngine() === '', `the slot's container of run ${runId} to go after kill -9`, 20_000);
	assert.deepEqual(leftovers(runId), []);
});

test('--isolate: a combination that cannot hold is a usage error naming both options', async () => {
	const directory = folder({'a.sh': 'true\n'});
	for (const [extra, words] of [
		[['--isolate', 'slot', '--swarm'], /--isolate slot.*swarm/],
		[['--isolate', 'slot', '--fresh-network'], /--isolate slot.*--fresh-network|--fresh-network.*--isolate slot/],
		[['--isolate-reuse', '3'], /--isolate-reuse.*--isolate slot/],
		[['--isolate', 'box'], /--isolate/],
	] as const) {
		const {code, stderr} = await baleen(shellArgs(directory, ...extra), {cwd: directory});
		assert.equal(code, 2, stderr);
		assert.match(stderr, words);
		assert.equal(stderr.trim().split('\n').length, 1, stderr);
	}
});

/** A label of each container the engine made since `since` with the label `having` (`baleen.run=ID`), from its own record of events. */
function made(since: string, having: string, label: string): string[] {
	return execFileSync('docker', [
		'events', '--since', since, '--until', new Date().toISOString(), '--filter', 'type=container', '--filter', 'event=create',
		'--filter', `label=${having}`, '--format', `{{index .Actor.Attributes "${label}"}}`,
	], {encoding: 'utf8'}).trim().split('\n').filter(Boolean).sort();
}

test('--isolate slot with a preset: the program is looked up in the first slot\'s container, the other slots\' made meanwhile, and no container more', async () => {
	const since = new Date(Date.now() - 1000).toISOString();
	const suite = fileURLToPath(new URL('../fixtures/frameworks/pytest', import.meta.url));
	const run = await runPreset('pytest', {suite, image: 'baleen-test-pytest', extra: ['-j', '2', '--isolate', 'slot']});
	const {runId, concurrency} = runStart(run.events);
	assert.equal(concurrency, 2);
	// As the fixture's EXPECTED.json has them: one file passes, the other has a failing test.
	assert.deepEqual(Object.fromEntries(testEnds(run.events).map(end => [end.file, [end.status, end.tests?.passed]])), {
		'tests/test_arithmetic.py': ['passed', 4],
		'tests/test_words.py': ['failed', 1],
	});
	// The first file of slot 0 runs where the lookup ran: two slots, two containers, and none to look up the program in.
	assert.deepEqual(made(since, `baleen.run=${runId}`, 'baleen.role'), ['slot', 'slot']);
	assert.deepEqual(new Set(run.events.flatMap(event => (event.type === 'test-start' ? [event.containerId] : []))).size, 2);
	assert.deepEqual(leftovers(runId), []);
});

test('--isolate slot with a preset the image cannot run: the usage error names the image, and no slot\'s container is left', async () => {
	const since = new Date(Date.now() - 1000).toISOString();
	const suite = fileURLToPath(new URL('../fixtures/frameworks/pytest', import.meta.url));
	const {code, stderr} = await baleen(['pytest', '-i', 'baleen-test-shell', '-m', `${suite}:/suite:ro`, '-w', '/suite', '-j', '2', '--isolate', 'slot'], {cwd: suite});
	assert.equal(code, 2, stderr);
	assert.match(stderr, /the pytest preset: .*baleen-test-shell/);
	const runs = made(since, `baleen.tag=${process.env.BALEEN_TAG ?? ''}`, 'baleen.run');
	assert.ok(runs.length > 0, 'the lookup ran in a slot\'s container');
	for (const runId of new Set(runs)) {
		assert.deepEqual(leftovers(runId), [], `run ${runId} left containers`);
	}
});

test('--isolate slot --bail: after the first failure no new file starts in the slot; the rest end cancelled; nothing left', async () => {
	const {code, events, stderr, ends} = await inSlot(Object.fromEntries(Array.from({length: 5}, (_, index) => [`f${index}.sh`, index === 1 ? 'exit 1\n' : 'echo ok\n'])), '--bail');
	assert.equal(code, 1, stderr);
	assert.deepEqual([...ends.values()].map(end => [end.file, end.status]), [['f0.sh', 'passed'], ['f1.sh', 'failed'], ['f2.sh', 'cancelled'], ['f3.sh', 'cancelled'], ['f4.sh', 'cancelled']]);
	assert.equal(events.filter(event => event.type === 'test-start').length, 2);
	assert.equal(runEnd(events)?.bailed, true);
	assert.match(stderr, /Bailed: 1 file failed, so 3 files did not run \(--bail\)/);
});
