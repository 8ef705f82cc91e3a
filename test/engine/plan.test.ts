import assert from 'node:assert/strict';
import {
	copyFileSync, readFileSync, readdirSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import type {RunEvent} from '../../source/events.js';
import {
	baleen, leftovers, runEnd, runStart, shellArgs, testEnds, type CliResult,
} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

const started = (events: RunEvent[]) => events.flatMap(event => (event.type === 'test-start' ? [event.file] : []));
const ran = (result: CliResult) => testEnds(result.events).map(event => event.file).sort();
const statuses = (result: CliResult) => Object.fromEntries(testEnds(result.events).map(event => [event.file, event.status]));

/** The CLI in `directory`; a run that started is checked to have left no container behind. */
async function cli(directory: string, args: string[], input?: string): Promise<CliResult> {
	const result = await baleen(args, {cwd: directory, ...(input !== undefined && {input})});
	if (result.events.some(event => event.type === 'run-start')) {
		assert.deepEqual(leftovers(runStart(result.events).runId), [], 'no container left');
	}

	return result;
}

const inFolder = async (directory: string, extra: string[]) => cli(directory, shellArgs(directory, ...extra));
const fromStdin = (directory: string) => shellArgs(directory).map(arg => (arg === '*.sh' ? '-' : arg));

/** A suite of busybox shell files: each sleeps so long (seconds) and exits so. */
const suite = (files: Record<string, {sleep?: number; exit?: number}>) => folder(Object.fromEntries(Object.entries(files)
	.map(([file, {sleep = 0, exit = 0}]) => [file, `sleep ${sleep}\nexit ${exit}\n`])));

describe('timings: each run records them, the next starts the longest file first', () => {
	test('a skewed suite whose slowest file sorts last starts it first the second time', async () => {
		const directory = suite({'a.sh': {}, 'b.sh': {}, 'c.sh': {}, 'z-slow.sh': {sleep: 1.5}});
		const first = await inFolder(directory, ['-j', '1']);
		assert.deepEqual(started(first.events), ['a.sh', 'b.sh', 'c.sh', 'z-slow.sh'], 'no timings yet: by name');
		assert.equal(runStart(first.events).expectedMs, undefined);
		const timings = JSON.parse(readFileSync(path.join(directory, '.baleen/timings.json'), 'utf8')) as {projects: {default: Record<string, number>}};
		assert.deepEqual(Object.keys(timings.projects.default).sort(), ['a.sh', 'b.sh', 'c.sh', 'z-slow.sh']);
		assert.ok(timings.projects.default['z-slow.sh']! >= 1500, 'the slow file\'s time is recorded');

		const second = await inFolder(directory, ['-j', '1']);
		assert.equal(started(second.events)[0], 'z-slow.sh');
		assert.equal(runStart(second.events).expectedMs?.['z-slow.sh'], timings.projects.default['z-slow.sh']);
		assert.equal(runEnd(second.events)?.exitCode, 0);
	});
});

describe('--shard I/N', () => {
	const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(name => [`${name}.sh`, {}]));

	for (const withTimings of [false, true]) {
		test(`N runs cover every file exactly once, ${withTimings ? 'balanced by a timings file they all share' : 'round-robin by name without timings'}`, async () => {
			const directory = suite(files);
			const shared = path.join(directory, 'shared-timings.json');
			writeFileSync(shared, JSON.stringify({schema: 1, projects: {default: withTimings ? {'a.sh': 1000, 'b.sh': 1000, 'c.sh': 1000, 'd.sh': 1000, 'e.sh': 1000, 'f.sh': 1000, 'g.sh': 3000} : {}}}));
			const shards: string[][] = [];
			for (const index of [1, 2, 3]) {
				// Each CI job starts from the same timings; each records into its own copy.
				const own = path.join(directory, `timings-${index}.json`);
				copyFileSync(shared, own);
				const result = await inFolder(directory, ['--shard', `${index}/3`, '--timings', own]);
				const {digest, ...plan} = runStart(result.events).shard!;
				assert.deepEqual(plan, {index, count: 3, planned: 7, files: Object.keys(files).sort()});
				assert.match(digest, /^[\da-f]{64}$/);
				assert.equal(runEnd(result.events)?.exitCode, 0);
				shards.push(ran(result));
			}

			assert.deepEqual(shards.flat().sort(), Object.keys(files).sort(), 'every file in exactly one shard');
			if (withTimings) {
				assert.deepEqual(shards, [['g.sh'], ['a.sh', 'c.sh', 'e.sh'], ['b.sh', 'd.sh', 'f.sh']], 'the 3 s file alone, 3 s of work in each shard');
			} else {
				assert.deepEqual(shards, [['a.sh', 'd.sh', 'g.sh'], ['b.sh', 'e.sh'], ['c.sh', 'f.sh']]);
			}
		});
	}

	test('three shards of 20 files run one after another in one folder, recording timings, cover each file exactly once; with --last-failed each re-runs its own failures', async () => {
		const twenty = Object.fromEntries(Array.from({length: 20}, (_, index) => [`f${String(index + 1).padStart(2, '0')}.sh`, {exit: [4, 17].includes(index + 1) ? 1 : 0}]));
		const directory = suite(twenty);
		const trio = async (extra: string[] = []) => {
			const results = [];
			for (const index of [1, 2, 3]) {
				results.push(await inFolder(directory, ['--shard', `${index}/3`, ...extra]));
			}

			return results;
		};

		const first = await trio();
		assert.deepEqual(first.map(result => ran(result)).flat().sort(), Object.keys(twenty).sort(), 'every file in exactly one shard');
		const plans = first.map(result => runStart(result.events).shard);
		assert.deepEqual(plans.map(plan => plan && {index: plan.index, planned: plan.planned}), [1, 2, 3].map(index => ({index, planned: 20})));
		assert.equal(new Set(plans.map(plan => plan?.digest)).size, 1, 'every shard planned from the same inputs');
		assert.deepEqual(first.map(result => result.code), [1, 1, 0], 'f04 fails in shard 1, f17 in shard 2 (round-robin by name)');

		const again = await trio(['--last-failed']);
		assert.deepEqual(again.map(result => ran(result)), [['f04.sh'], ['f17.sh'], []], 'each shard re-runs only its own failures');
		assert.match(again[2]!.stderr, /--last-failed: nothing to re-run in shard 3\/3/);

		const merge = await baleen(['timings', 'merge'], {cwd: directory});
		assert.equal(merge.code, 0, merge.stderr);
		assert.match(merge.stdout, /^merged 3 shard records \(project default\) into \.baleen\/timings\.json and \.baleen\/last-run\.json\n$/);
		const timings = JSON.parse(readFileSync(path.join(directory, '.baleen/timings.json'), 'utf8')) as {projects: {default: Record<string, number>}};
		assert.deepEqual(Object.keys(timings.projects.default).sort(), Object.keys(twenty).sort());
		assert.deepEqual(readdirSync(path.join(directory, '.baleen')).sort(), ['last-run-specs.json', 'last-run.json', 'resources.json', 'timings.json'], 'the shards\' records are folded in and gone (the last run\'s specs, for baleen repro, and what each file took beside them)');

		const timed = await trio();
		assert.deepEqual(timed.map(result => ran(result)).flat().sort(), Object.keys(twenty).sort(), 'split by the merged timings: every file in exactly one shard');
		assert.equal(new Set(timed.map(result => runStart(result.events).shard?.digest)).size, 1);
		assert.notEqual(runStart(timed[0]!.events).shard?.digest, plans[0]?.digest, 'other timings, another digest');
		assert.ok(timed.every(result => runStart(result.events).expectedMs), 'split by timings');
	});

	test('baleen timings merge: bad input is one line and exit 2', async () => {
		const directory = folder({'not-a-record.json': '[]'});
		for (const [args, message] of [
			[['timings'], /^baleen: timings needs what to do: baleen timings merge \[FILE…\]/],
			[['timings', 'merge', 'gone.json'], /^baleen: cannot read gone\.json/],
			[['timings', 'merge', 'not-a-record.json'], /^baleen: not-a-record\.json is not a shard's record/],
		] as const) {
			const result = await baleen([...args], {cwd: directory});
			assert.equal(result.code, 2, args.join(' '));
			assert.match(result.stderr, message);
			assert.equal(result.stderr.split('\n').length, 2, 'one line');
		}
	});

	test('with --find-in-image: the shard is taken after the image is searched; a shard left with no file ends at once, exit 0', async () => {
		const directory = suite({'a.sh': {}, 'b.sh': {}});
		const shards = [];
		for (const index of [1, 2, 3]) {
			const result = await inFolder(directory, ['--find-in-image', '--shard', `${index}/3`]);
			assert.equal(result.code, 0, result.stderr);
			shards.push(ran(result));
			if (index === 3) {
				assert.equal(runStart(result.events).total, 0);
				assert.match(result.stderr, /shard 3\/3 has no file to run: 2 files over 3 shards/);
			}
		}

		assert.deepEqual(shards, [['a.sh'], ['b.sh'], []]);
	});
});

describe('file lists', () => {
	test('- reads the files from stdin, one a line or NUL-separated, and runs only those', async () => {
		const directory = suite({'a.sh': {}, 'b.sh': {}, 'c d.sh': {}});
		const lines = await cli(directory, fromStdin(directory), 'a.sh\n./c d.sh\n');
		assert.equal(lines.code, 0, lines.stderr);
		assert.deepEqual(ran(lines), ['a.sh', 'c d.sh']);
		const nul = await cli(directory, fromStdin(directory), 'b.sh\0');
		assert.deepEqual(ran(nul), ['b.sh']);
		const missing = await cli(directory, fromStdin(directory), 'gone.sh\n');
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /^baleen: the file list names a file not found in .*: gone\.sh\n$/);
	});

	test('--exclude and !GLOB leave files out, on the host and in the image', async () => {
		const directory = suite({'a.sh': {}, 'b.sh': {}, 'slow-c.sh': {}});
		for (const where of [[], ['--find-in-image']]) {
			const excluded = await inFolder(directory, ['--exclude', 'slow-*', ...where]);
			assert.deepEqual(ran(excluded), ['a.sh', 'b.sh'], `--exclude ${where.join(' ')}`);
			const negated = await cli(directory, ['*.sh', '!b.sh', ...shellArgs(directory).slice(1), ...where]);
			assert.deepEqual(ran(negated), ['a.sh', 'slow-c.sh'], `!GLOB ${where.join(' ')}`);
		}

		const everything = await inFolder(directory, ['--exclude', '*']);
		assert.equal(everything.code, 2);
		assert.match(everything.stderr, /--exclude \* leaves out all 3 files found/);
	});
});

describe('--last-failed', () => {
	test('reruns only the files that did not pass, until none is left; then says so and exits 0', async () => {
		const directory = suite({'a.sh': {}, 'b.sh': {exit: 1}, 'c.sh': {exit: 2}, 'd.sh': {}});
		const none = await inFolder(directory, ['--last-failed']);
		assert.equal(none.code, 2);
		assert.match(none.stderr, /--last-failed: no earlier run of this project is recorded in .*\.baleen\/last-run\.json/);

		const all = await inFolder(directory, []);
		assert.deepEqual(statuses(all), {'a.sh': 'passed', 'b.sh': 'failed', 'c.sh': 'failed', 'd.sh': 'passed'});

		writeFileSync(path.join(directory, 'b.sh'), 'exit 0\n');
		const rerun = await inFolder(directory, ['--last-failed']);
		assert.deepEqual(statuses(rerun), {'b.sh': 'passed', 'c.sh': 'failed'});
		assert.equal(rerun.code, 1);

		writeFileSync(path.join(directory, 'c.sh'), 'exit 0\n');
		const last = await inFolder(directory, ['--last-failed']);
		assert.deepEqual(statuses(last), {'c.sh': 'passed'});

		const nothing = await inFolder(directory, ['--last-failed']);
		assert.equal(nothing.code, 0);
		assert.deepEqual(ran(nothing), []);
		assert.match(nothing.stderr, /--last-failed: nothing to re-run/);
	});
});
