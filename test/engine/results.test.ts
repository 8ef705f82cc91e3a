import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {
	createReadStream, existsSync, readFileSync, readdirSync, rmSync, statSync,
} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {
	baleen, byFile, leftovers, parseLines, runEnd, runStart, shellArgs, start, testEnds,
} from '../helpers/cli.js';
import {repository} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';
import {readJunit} from '../helpers/junit.js';

const nodeImage = 'baleen-test-node';

/** Each testcase of a report by what the JSON lines also tell: its file, its name, its outcome. */
const told = (report: string) => readJunit(report).cases.map(({file, name, outcome}) => ({file, name, outcome}));


const outcomeOf = {passed: 'passed', failed: 'failure', error: 'error', skipped: 'skipped'} as const;

/** Node's own test runner, writing its junit report where `--results` looks, and its spec report on stdout. */
const nodeTest = 'node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=/tmp/junit.xml {file}';

test('--results with node\'s junit reporter: --junit holds each test with its file, as the JSON lines tell them, and the summary counts tests', async () => {
	const directory = folder({
		'cart.test.mjs': `import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
test('adds an item', () => {});
describe('rounding', () => {
	test('to cents', () => {});
	test('half up', () => { assert.equal(0.1 + 0.2, 0.3); });
	test.skip('in yen', () => {});
});
`,
		'stock.test.mjs': 'import {test} from \'node:test\';\nfor (const name of [\'a\', \'b\', \'c\']) test(`counts ${name}`, () => {});\n',
	});
	const out = path.join(directory, 'out');
	const {code, events, stderr} = await baleen(['*.test.mjs', '-i', nodeImage, '-m', `${directory}:/suite:ro`, '-w', '/suite', '-c', nodeTest, '--results', '/tmp/junit.xml', '--junit', 'junit.xml', '--output-dir', 'out'], {cwd: directory});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
	const ends = byFile(events);
	assert.deepEqual(ends.get('cart.test.mjs')?.tests, {total: 4, passed: 2, failed: 1, skipped: 1});
	assert.deepEqual(ends.get('stock.test.mjs')?.tests, {total: 3, passed: 3, failed: 0, skipped: 0});
	assert.deepEqual(runEnd(events)?.tests, {total: 7, passed: 5, failed: 1, skipped: 1});

	const {suite} = readJunit(path.join(directory, 'junit.xml'));
	const cases = told(path.join(directory, 'junit.xml'));
	const fromJson = [...ends.values()].flatMap(end => (end.testcases ?? []).map(test => ({file: end.file, name: test.name, outcome: outcomeOf[test.status]})));
	assert.equal(fromJson.length, 7);
	assert.deepEqual(cases.toSorted((a, b) => `${a.file}${a.name}`.localeCompare(`${b.file}${b.name}`)), fromJson.toSorted((a, b) => `${a.file}${a.name}`.localeCompare(`${b.file}${b.name}`)));
	assert.deepEqual(['tests', 'failures', 'errors', 'skipped'].map(name => Number(suite.getAttribute(name))), [7, 1, 0, 1]);

	assert.match(stderr, /^✗ failed {4}cart\.test\.mjs \(exit 1, [\d.]+m?s, 1 of 4 tests failed\)$/m);
	assert.match(stderr, /^✓ passed {4}stock\.test\.mjs \([\d.]+m?s, 3 tests\)$/m);
	assert.match(stderr, /^Fail: 1 passed, 1 failed of 2 files; 5 passed, 1 failed, 1 skipped of 7 tests$/m);
	// node's classname is `test` for every test: the describe around it is told instead.
	assert.match(stderr, /^ {2}failed tests:\n {4}✗ rounding › half up: /m);

	// The output dir holds the same report and the same JSON lines, and each file's results as the framework wrote them.
	assert.deepEqual(told(path.join(out, 'junit.xml')), cases);
	assert.deepEqual(parseLines(readFileSync(path.join(out, 'events.jsonl'), 'utf8')), events);
	assert.match(readFileSync(path.join(out, 'files', 'cart.test.mjs', 'results.xml'), 'utf8'), /<testcase name="half up"/);
});

test('--results: a results file that is missing or not JUnit is said in that file\'s result, and the run goes on', async () => {
	const directory = folder({
		'garbage.sh': 'echo "not <xml" > /tmp/results.xml\n',
		'none.sh': 'true\n',
		'ok.sh': 'echo \'<testsuite><testcase name="one"/></testsuite>\' > /tmp/results.xml\n',
	});
	const {code, events, stderr} = await baleen(shellArgs(directory, '--results', '/tmp/results.xml'), {cwd: directory});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 0);
	const ends = byFile(events);
	assert.match(ends.get('garbage.sh')!.resultsError!, /^\/tmp\/results\.xml is not well-formed XML \(line 1: /);
	assert.equal(ends.get('none.sh')!.resultsError, 'no such file or folder in the container: /tmp/results.xml (the framework wrote no results there)');
	assert.deepEqual(ends.get('ok.sh')!.tests, {total: 1, passed: 1, failed: 0, skipped: 0});
	assert.deepEqual(runEnd(events)!.tests, {total: 1, passed: 1, failed: 0, skipped: 0});
	assert.match(stderr, /^✓ passed {4}none\.sh \([\d.]+m?s, no results: no such file or folder in the container: \/tmp\/results\.xml/m);
});

test('--results-format: the report is read in the format it names, kept under its name; one in another format is said in that file\'s result', async () => {
	const stream = ['{"Action":"run","Package":"shop","Test":"TestCart"}', '{"Action":"fail","Package":"shop","Test":"TestCart","Elapsed":0.2}', '{"Action":"pass","Package":"shop","Test":"TestStock"}'];
	const directory = folder({
		'go.sh': `printf '%s\\n' ${stream.map(line => `'${line}'`).join(' ')} > /tmp/results.jsonl\n`,
		'junit.sh': 'echo \'<testsuite><testcase name="one"/></testsuite>\' > /tmp/results.jsonl\n',
	});
	const {code, events} = await baleen(shellArgs(directory, '--results', '/tmp/results.jsonl', '--results-format', 'go-json', '--output-dir', 'out'), {cwd: directory});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 0);
	const ends = byFile(events);
	assert.deepEqual(ends.get('go.sh')!.tests, {total: 2, passed: 1, failed: 1, skipped: 0});
	assert.deepEqual(ends.get('go.sh')!.testcases?.map(({classname, name, status}) => `${status} ${classname} › ${name}`), ['failed shop › TestCart', 'passed shop › TestStock']);
	assert.equal(readFileSync(path.join(directory, 'out', 'files', 'go.sh', 'results.go.jsonl'), 'utf8'), `${stream.join('\n')}\n`);
	assert.equal(ends.get('junit.sh')!.resultsError, '/tmp/results.jsonl is not a go test -json stream: no line of it is a test2json event');
});

const sha256 = async (file: string) => {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) {
		hash.update(chunk as Buffer);
	}

	return hash.digest('hex');
};

test('--output-dir: a file\'s whole output is on disk, 5 MB of it byte for byte, and memory does not grow with what is written', async () => {
	const fiveMb = 5 * 1024 * 1024;
	const large = 300 * 1024 * 1024;
	const directory = folder({
		'five.sh': `i=0; while [ $i -lt ${fiveMb / 64} ]; do printf '%063d\\n' $i; i=$((i+1)); done | head -c ${fiveMb}; echo to stderr >&2\n`,
		'large.sh': `head -c ${large} /dev/zero | tr '\\0' x\n`,
		'small.sh': 'echo small\n',
	});
	const out = path.join(directory, 'out');
	try {
		const small = await baleen(shellArgs(directory, '--output-dir', 'out').map(argument => (argument === '*.sh' ? 'small.sh' : argument)), {cwd: directory});
		const largeRun = await baleen(shellArgs(directory, '--output-dir', 'out', '-j', '1').map(argument => (argument === '*.sh' ? 'five.sh' : argument)).concat('large.sh'), {cwd: directory});
		for (const {events} of [small, largeRun]) {
			assert.deepEqual(leftovers(runStart(events).runId), []);
		}

		assert.equal(largeRun.code, 0);
		const five = byFile(largeRun.events).get('five.sh')!;
		assert.equal(five.stdoutBytes, fiveMb);
		assert.equal(five.outputFolder, path.join(out, 'files', 'five.sh'));
		const fiveLog = path.join(out, 'files', 'five.sh', 'stdout.log');
		assert.equal(statSync(fiveLog).size, fiveMb);
		const expected = createHash('sha256');
		for (let index = 0; index < fiveMb / 64; index++) {
			expected.update(`${String(index).padStart(63, '0')}\n`);
		}

		assert.equal(await sha256(fiveLog), expected.digest('hex'), 'every byte, in order');
		assert.equal(readFileSync(path.join(out, 'files', 'five.sh', 'stderr.log'), 'utf8'), 'to stderr\n');
		assert.equal(statSync(path.join(out, 'files', 'large.sh', 'stdout.log')).size, large);
		// Printing itself costs some memory (stream buffers, garbage not yet collected: 40 to 60 MB seen with
		// 100 MB written, as the collector pleases); holding what was written would cost all 300 MB of it.
		assert.ok(largeRun.peakRssKb < small.peakRssKb + 150 * 1024, `peak RSS ${largeRun.peakRssKb} kB after 305 MB written, ${small.peakRssKb} kB after a line`);
	} finally {
		rmSync(out, {recursive: true, force: true});
	}
});

test('--artifacts: each file\'s paths land in a folder of its own, folders and files alike, a timed-out file\'s too; a missing path is noted, not fatal', async () => {
	const make = (text: string) => `mkdir -p /tmp/shots/deep && echo ${text} > /tmp/shots/deep/shot.txt && echo ${text} > report.txt\n`;
	const directory = folder({'first one.sh': make('first'), 'sub/second.sh': make('second'), 'slow.sh': `${make('slow')}sleep 60\n`});
	const {code, events} = await baleen(['**/*.sh', '-i', 'baleen-test-shell', '-m', `${directory}:/suite`, '-w', '/tmp', '-c', 'sh /suite/{file}', '--timeout', '3', '--output-dir', 'out', '--artifacts', '/tmp/shots', '--artifacts', 'report.txt', '--artifacts', '/nowhere'], {cwd: directory});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
	assert.deepEqual([...byFile(events)].map(([file, end]) => `${file} ${end.status}`).sort(), ['first one.sh passed', 'slow.sh timed-out', 'sub/second.sh passed']);
	const files = path.join(directory, 'out', 'files');
	const artifacts = (file: string) => path.join(files, ...file.split('/'), 'artifacts');
	assert.equal(readFileSync(path.join(files, 'first%20one.sh', 'artifacts', 'shots', 'deep', 'shot.txt'), 'utf8'), 'first\n');
	assert.equal(readFileSync(path.join(artifacts('sub/second.sh'), 'shots', 'deep', 'shot.txt'), 'utf8'), 'second\n');
	assert.equal(readFileSync(path.join(artifacts('sub/second.sh'), 'report.txt'), 'utf8'), 'second\n');
	assert.deepEqual(readdirSync(path.join(files, 'first%20one.sh', 'artifacts')).sort(), ['report.txt', 'shots']);
	assert.equal(readFileSync(path.join(artifacts('slow.sh'), 'shots', 'deep', 'shot.txt'), 'utf8'), 'slow\n', 'a file that timed out has its artifacts too');
	for (const end of byFile(events).values()) {
		assert.deepEqual(end.artifactErrors, ['no such file or folder in the container: /nowhere'], end.file);
	}
});

test('--artifacts without --output-dir is bad usage: one line, exit 2', async () => {
	const directory = folder({'a.sh': 'true\n'});
	const {code, stderr, events} = await baleen(shellArgs(directory, '--artifacts', '/tmp/x'), {cwd: directory});
	assert.equal(code, 2);
	assert.equal(stderr, 'baleen: --artifacts needs --output-dir DIR to copy them into\n');
	assert.deepEqual(events, []);
});

test('a failure\'s details say how many lines came before the ones shown, and where all of them are', async () => {
	const directory = folder({'noisy.sh': 'i=1; while [ $i -le 100 ]; do echo "line $i"; i=$((i+1)); done; exit 3\n'});
	const withDir = await baleen(shellArgs(directory, '--output-dir', 'out'), {cwd: directory});
	const without = await baleen(shellArgs(directory), {cwd: directory});
	for (const {events} of [withDir, without]) {
		assert.deepEqual(leftovers(runStart(events).runId), []);
	}

	const folderOf = path.join(directory, 'out', 'files', 'noisy.sh');
	assert.match(withDir.stderr, new RegExp(String.raw`^  stdout:\n    \[… 80 lines, 631 B before this; all of it in ${folderOf.replaceAll('.', String.raw`\.`)}/stdout\.log\]\n    line 81$`, 'm'));
	assert.match(without.stderr, /^ {2}stdout:\n {4}\[… 80 lines, 631 B before this; run with --output-dir DIR to keep all of it\]\n {4}line 81$/m);
	assert.equal(readFileSync(path.join(folderOf, 'stdout.log'), 'utf8').split('\n').length, 101);
});

test('GitHub Actions: an annotation per failed file, escaped, failure details folded, and the step summary appended', async () => {
	const directory = folder({'bad, file: 50%.sh': 'echo "it broke" >&2; exit 1\n', 'good.sh': 'true\n'});
	const summaryFile = path.join(directory, 'step-summary.md');
	const {code, stdout, stderr, events} = await baleen(shellArgs(directory), {cwd: directory, env: {GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile}});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
	assert.ok(stdout.split('\n').filter(Boolean).every(line => line.startsWith('{')), 'stdout stays JSON lines');
	assert.match(stderr, /^::error file=bad%2C file%3A 50%25\.sh,title=bad%2C file%3A 50%25\.sh%3A failed%2C exit code 1::it broke$/m);
	assert.equal(stderr.match(/^::error /gm)?.length, 1, 'none for the file that passed');
	assert.match(stderr, /^::group::── bad, file: 50%\.sh: failed, exit code 1\n {2}stderr:\n {4}it broke\n::endgroup::$/m);
	const summary = readFileSync(summaryFile, 'utf8');
	assert.match(summary, /^### baleen: failed$/m);
	assert.match(summary, /^\| 2 \| 1 \| 1 \| 0 \| 0 \| 0 \| [\d.]+ s \|$/m);
	assert.match(summary, /<code>bad, file: 50%\.sh<\/code>: failed<\/summary>\n\n```\nit broke\n```/);
});

test('--results with cucumber\'s junit formatter on the demo suite: each scenario a test, the failed one named with its message', async () => {
	const report = path.join(folder(), 'junit.xml');
	const {code, events, stderr} = await baleen(['--config', 'example/baleen.yml', '--project', 'cart', '-c', 'node node_modules/.bin/cucumber-js --format progress --format junit:/tmp/junit.xml {file}', '--results', '/tmp/junit.xml', '--junit', report], {cwd: repository});
	assert.deepEqual(leftovers(runStart(events).runId), []);
	assert.equal(code, 1);
	const {tests} = runEnd(events)!;
	assert.equal(tests?.failed, 1);
	assert.equal(tests?.total, [...byFile(events).values()].reduce((sum, end) => sum + (end.testcases?.length ?? 0), 0));
	const cases = told(report);
	assert.equal(cases.length, tests?.total);
	assert.deepEqual(cases.filter(({outcome}) => outcome !== 'passed'), [{file: 'features/delivery.feature', name: 'Free from 50.00 exactly', outcome: 'failure'}]);
	assert.match(stderr, /^ {4}✗ Delivery › Free from 50\.00 exactly: Expected values to be strictly equal:$/m);
});

test('--output-dir after Ctrl-C: the JSON lines to the end, the JUnit report and the output of what ran are there, nothing left on the engine', async () => {
	const directory = folder({'a-quick.sh': 'echo quick\n', 'b-slow.sh': 'echo slow; sleep 60\n', 'c-later.sh': 'sleep 60\n'});
	const running = start(shellArgs(directory, '-j', '2', '--output-dir', 'out', '--results', '/tmp/r.xml'), {cwd: directory});
	await running.until(events => events.some(event => event.type === 'test-end' && event.file === 'a-quick.sh')
		&& events.filter(event => event.type === 'test-start').length >= 2);
	running.child.kill('SIGINT');
	const {code, events} = await running.done;
	assert.equal(code, 130);
	assert.deepEqual(leftovers(runStart(events).runId), []);
	const out = path.join(directory, 'out');
	assert.deepEqual(parseLines(readFileSync(path.join(out, 'events.jsonl'), 'utf8')), events);
	assert.equal(runEnd(events)?.signal, 'SIGINT');
	assert.deepEqual(readJunit(path.join(out, 'junit.xml')).cases.map(({file, outcome}) => `${file} ${outcome}`).sort(), ['a-quick.sh passed', 'b-slow.sh skipped', 'c-later.sh skipped']);
	for (const end of byFile(events).values()) {
		const logs = path.join(out, 'files', end.file);
		if (end.containerId) {
			assert.equal(readFileSync(path.join(logs, 'stdout.log'), 'utf8'), end.stdout, `${end.file}: the log holds what ran`);
		} else {
			assert.equal(existsSync(logs), false, `${end.file} never started: no folder`);
		}

		assert.equal(end.resultsError, end.status === 'passed' ? 'no such file or folder in the container: /tmp/r.xml (the framework wrote no results there)' : undefined, `${end.file}: a missing report is told only of a file that ran to its end`);
	}
});

/** What the engine did to the run's containers, from its events: each action's count (`archive-path` is a copy out of one). */
function actions(since: string, runId: string): Record<string, number> {
	const told = execFileSync('docker', [
		'events', '--since', since, '--until', new Date(Date.now() + 1000).toISOString(), '--filter', 'type=container',
		'--filter', `label=baleen.run=${runId}`, '--filter', 'label=baleen.file', '--format', '{{.Action}}',
	], {encoding: 'utf8'}).trim().split('\n').filter(Boolean);
	return Object.fromEntries([...new Set(told)].map(action => [action, told.filter(other => other === action).length]));
}

test('a container\'s results file comes out behind its output, with no copy out of the container: whole, beside the test\'s own stderr, a process it left writing meanwhile', async () => {
	const since = new Date(Date.now() - 1000).toISOString();
	const directory = folder({'a.test': '', 'b.test': ''});
	// 3,000 testcases (about 120 KB), a line of its own on stderr, and a process left behind that keeps writing to stderr.
	const command = 'i=0; { echo \'<testsuite name="s">\'; while [ $i -lt 3000 ]; do echo "<testcase classname=\\"c\\" name=\\"t$i\\"/>"; i=$((i+1)); done; echo \'</testsuite>\'; } > /tmp/r.xml; '
		+ '(while :; do echo left behind >&2; done) & echo own line for {file} >&2';
	const {code, events} = await baleen(['*.test', '-i', 'baleen-test-shell', '-m', `${directory}:/suite:ro`, '-w', '/suite', '-c', command, '--results', '/tmp/r.xml', '--output-dir', 'out'], {cwd: directory});
	assert.equal(code, 0);
	const {runId} = runStart(events);
	for (const end of testEnds(events)) {
		assert.equal(end.tests?.total, 3000, end.file);
		assert.equal(new Set(end.testcases?.map(testcase => testcase.name)).size, 3000);
		// The whole stderr from the output dir: on a busy machine the process left behind writes more than the event's tail holds before it is ended.
		const stderr = readFileSync(path.join(directory, 'out', 'files', end.file, 'stderr.log'), 'utf8');
		assert.match(stderr, new RegExp(`^(left behind\n)*own line for ${end.file}\n(left behind\n)*$`));
		assert.ok(stderr.endsWith(end.stderr), 'the event\'s stderr is the end of the same stream');
		assert.doesNotMatch(end.stderr, /baleen-resources|testcase/);
		assert.ok(end.resources?.cpuMs !== undefined, 'the figures before the results file are still read');
	}

	// Both test containers went (the window holds their events); neither was copied out of.
	const seen = actions(since, runId);
	assert.equal(seen.destroy, 2);
	assert.equal(seen['archive-path'], undefined);
	assert.deepEqual(leftovers(runId), []);
});
