import assert from 'node:assert/strict';
import {existsSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {hostileNames} from '../helpers/names.js';
import {baleen, byFile, inSuite, leftovers, runEnd, runStart, shellImage, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

test('pass, fail and timeout on the real engine, streams kept apart, nothing left', async () => {
	const directory = folder({
		'pass.sh': 'echo ok\n',
		'fail.sh': 'echo to-stdout; echo to-stderr >&2; exit 3\n',
		'slow.sh': 'echo started; sleep 30\n',
	});
	const {code, events, stderr} = await inSuite(directory, '--timeout', '2');
	assert.equal(code, 1);
	// With stdout and stderr both piped, stderr carries a plain log beside the JSON lines.
	assert.match(stderr, /^baleen: 3 files in baleen-test-shell, \d+ at once \(unix:\/\/\/var\/run\/docker\.sock\)$/m);
	assert.match(stderr, /^✗ failed {4}fail\.sh \(exit 3, [\d.]+m?s\)$/m);
	assert.match(stderr, /^⏱ timed out slow\.sh \([\d.]+m?s\)$/m);
	assert.match(stderr, /^Fail: 1 passed, 1 failed, 1 timed out of 3 files$/m);
	assert.match(stderr, /^── fail\.sh: failed, exit code 3\n {2}stdout:\n {4}to-stdout\n {2}stderr:\n {4}to-stderr$/m);

	const results = Object.fromEntries(testEnds(events).map(({file, status, exitCode, stdout, stderr}) => [file, {status, exitCode, stdout, stderr}]));
	assert.deepEqual(results, {
		'fail.sh': {status: 'failed', exitCode: 3, stdout: 'to-stdout\n', stderr: 'to-stderr\n'},
		'pass.sh': {status: 'passed', exitCode: 0, stdout: 'ok\n', stderr: ''},
		'slow.sh': {status: 'timed-out', exitCode: 137, stdout: 'started\n', stderr: ''},
	});
	assert.deepEqual(runEnd(events)?.summary, {total: 3, passed: 1, flaky: 0, failed: 1, timedOut: 1, errored: 0, cancelled: 0});
	assert.equal(runEnd(events)?.exitCode, 1);
	assert.deepEqual(leftovers(runStart(events)?.runId), []);
});

test('containers that exit at once lose neither output nor exit code', async () => {
	const files = Object.fromEntries(Array.from({length: 24}, (_, index) => [
		`quick-${String(index).padStart(2, '0')}.sh`,
		`echo out-${index}; echo err-${index} >&2; exit ${index % 4}\n`,
	]));
	const {code, events} = await inSuite(folder(files), '-j', '6');
	assert.equal(code, 1);
	const results = testEnds(events);
	assert.equal(results.length, 24);
	for (const result of results) {
		const index = Number(/\d+/.exec(result.file)![0]);
		assert.equal(result.exitCode, index % 4, result.file);
		assert.equal(result.status, index % 4 === 0 ? 'passed' : 'failed');
		assert.equal(result.stdout, `out-${index}\n`);
		assert.equal(result.stderr, `err-${index}\n`);
	}
});

test('the exit code is 0 when every file passes; --before, --env and --workdir reach the container', async () => {
	const directory = folder({'env.sh': 'test "$GREETING" = hello && test "$PREPARED" = yes && test "$(pwd)" = /suite && test "$BALEEN_FILE" = env.sh && echo "$BALEEN_RUN_ID"\n'});
	const {code, events} = await inSuite(directory, '-e', 'GREETING=hello', '--before', 'export PREPARED=yes');
	assert.equal(testEnds(events)[0]?.status, 'passed', JSON.stringify(testEnds(events)[0]));
	assert.equal(testEnds(events)[0]?.stdout, `${runStart(events)?.runId}\n`, 'BALEEN_RUN_ID is the run\'s id');
	assert.equal(code, 0);
});

test('a file the image lacks fails with a hint that the image may be stale', async () => {
	// Not mounted: the files are on the host only, as when the image was built before they were added.
	const directory = folder({'new.sh': 'echo hi\n'});
	const {code, events} = await baleen(['*.sh', '-i', shellImage, '-w', '/', '-c', 'cat {file}', '--json'], {cwd: directory});
	assert.equal(code, 1);
	const [end] = testEnds(events);
	assert.equal(end?.exitCode, 1);
	assert.match(end?.hint ?? '', /the image may be stale \(built before this file was added\)/);
});

test('hostile file names reach the command exactly, and nothing in them runs', async () => {
	const directory = folder(Object.fromEntries(hostileNames.map(name => [name, `echo content of ${JSON.stringify(name)}\n`])));
	const {code, events} = await baleen(['*', '-i', shellImage, '-m', `${directory}:/suite`, '-w', '/suite', '-c', 'printf "%s|" {file}; cat {file}', '--json'], {cwd: directory});
	assert.equal(code, 0, JSON.stringify(testEnds(events).filter(event => event.status !== 'passed')));
	const results = byFile(events);
	assert.deepEqual([...results.keys()].toSorted(), hostileNames.toSorted());
	for (const name of hostileNames) {
		assert.equal(results.get(name)?.stdout, `${name}|echo content of ${JSON.stringify(name)}\n`);
	}

	assert.ok(!existsSync(path.join(directory, 'pwned')), `nothing ran: ${readdirSync(directory).join(', ')}`);
});

test('an image the engine lacks: one line naming it and the engine, exit 2', async () => {
	const directory = folder({'a.sh': ''});
	const {code, stdout, stderr} = await baleen(['*.sh', '-i', 'baleen-no-such-image:1', '-c', 'sh {file}'], {cwd: directory, env: {DOCKER_HOST: ''}});
	assert.equal(code, 2);
	assert.equal(stdout, '');
	assert.equal(stderr, 'baleen: image "baleen-no-such-image:1" is not on the Docker engine at unix:///var/run/docker.sock; build or pull it there first\n');
});

test('an engine that does not answer: where baleen looked and that DOCKER_HOST picks another, exit 2', async () => {
	const directory = folder({'a.sh': ''});
	for (const host of ['unix:///tmp/baleen-no-engine.sock', 'tcp://127.0.0.1:9']) {
		const {code, stderr} = await baleen(['*.sh', '-i', shellImage, '-c', 'sh {file}'], {cwd: directory, env: {DOCKER_HOST: host}});
		assert.equal(code, 2);
		assert.match(stderr, new RegExp(`^baleen: cannot reach the Docker engine at ${host.replaceAll('.', '\\.')} \\(.+\\); start it, or set DOCKER_HOST to use another engine\\n$`));
	}
});

test('bad usage: one clear line and exit 2, never a stack trace', async () => {
	const directory = folder({'a.sh': ''});
	const cases: Array<[string[], RegExp]> = [
		[['*.sh', '-c', 'sh {file}'], /--image is required/],
		[['*.sh', '-i', shellImage], /--command is required/],
		[['*.sh', '-i', shellImage, '-c', 'sh {file}', '--frobnicate'], /[Uu]nknown flag.*--frobnicate/s],
		[['*.sh', '-i', shellImage, '-c', 'sh {file}', '-j', '0'], /--concurrency must be a whole number of at least 1, not "0"/],
		[['*.sh', '-i', shellImage, '-c', 'sh {file}', '-j', 'abc'], /--concurrency must be a whole number of at least 1, not "abc"/],
		[['*.sh', '-i', shellImage, '-c', 'sh {file}', '--timeout', '-5'], /--timeout must be a number of seconds greater than 0, not "-5"/],
		[['*.rb', '-i', shellImage, '-c', 'sh {file}'], /no file matches \*\.rb in /],
		[['-i', shellImage, '-c', 'sh {file}'], /no file matches \(no pattern given\)/],
		[['*.sh', '-i', shellImage, '-c', 'sh {file}', '-m', 'nowhere:/x'], /--mount source "nowhere" does not exist/],
	];
	for (const [args, message] of cases) {
		const {code, stdout, stderr} = await baleen(args, {cwd: directory});
		assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
		assert.equal(stdout, '');
		assert.match(stderr, message);
		assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
		assert.ok(stderr.trim().split('\n').length <= 2, `short: ${stderr}`);
	}
});
