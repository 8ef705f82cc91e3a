/**
What splitting a slow file by its tests gives: a mocha suite of one file of eight 1 s tests and four
small files, at -j 4, run as the first run sees it (no timings: the slow file whole, in one container)
and as the second does (the timings and the tests' times of an earlier run: the slow file in parts),
each test checked to run once; the per-part overhead from the parts' times against the file's whole time.

    npm run bench -- split [--rounds 3 --concurrency 4 --tests 8 --test-s 1 --files 4]
*/
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {PartEnd, RunEvent, TestEnd} from '../source/events.js';
import {benchEngine, describeEngine} from './lib/engine-api.js';
import {
	baleen, best, goal, interleave, logTime, median, ratioTable, readOptions, UsageError,
} from './lib/measure.js';
import {type Session} from './lib/session.js';

const image = 'baleen-test-node';
const modules = fileURLToPath(new URL('../../test/fixtures/frameworks/node_modules', import.meta.url));
const [first, second] = ['first run (no timings)', 'second run (with timings)'];

const slowFile = (tests: number, ms: number) => `const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));\ndescribe('slow', () => {\n${
	Array.from({length: tests}, (_, index) => `\tit('test ${index + 1} (of ${tests})', async () => sleep(${ms}));\n`).join('')}});\n`;
const smallFile = (index: number) => `describe('small ${index}', () => {\n\tit('adds', () => {\n\t\tif (1 + ${index} !== ${1 + index}) throw new Error('no');\n\t});\n});\n`;

const events = (file: string): RunEvent[] => readFileSync(file, 'utf8').split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as RunEvent);

/** Each test's name with how many times the run's test-ends name it: every one once, or a line that says which not. */
function eachOnce(run: RunEvent[], expected: number): string | undefined {
	const counts = new Map<string, number>();
	for (const end of run.filter((event): event is TestEnd => event.type === 'test-end')) {
		for (const test of end.testcases ?? []) {
			const key = `${end.file} › ${test.classname ?? ''} ${test.name}`;
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
	}

	const twice = [...counts].filter(([, count]) => count !== 1);
	return counts.size === expected && twice.length === 0 ? undefined : `${counts.size} tests of ${expected}, ${twice.length} not once: ${twice.map(([key]) => key).join(', ')}`;
}

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds, extra} = readOptions(args, {files: 4, concurrency: 4, rounds: 3}, ['tests', 'test-s']);
	const tests = Number(extra.tests ?? 8);
	const testS = Number(extra['test-s'] ?? 1);
	if (!(Number.isInteger(tests) && tests >= 2 && testS > 0)) {
		throw new UsageError('--tests must be a whole number of at least 2, --test-s a positive number of seconds');
	}

	if (!existsSync(path.join(modules, '.bin', 'mocha'))) {
		throw new UsageError(`no mocha in ${modules}: run script/setup first`);
	}

	const {api} = benchEngine(bench);
	const suite = bench.folder({});
	mkdirSync(path.join(suite, 'test'));
	writeFileSync(path.join(suite, 'test', 'slow.spec.js'), slowFile(tests, testS * 1000));
	for (let index = 1; index <= files; index++) {
		writeFileSync(path.join(suite, 'test', `small${index}.spec.js`), smallFile(index));
	}

	const run = (timings: string, out: string) => bench.sh(`${baleen([
		'mocha', '-i', image, '-m', `${suite}:/suite:ro`, '-m', `${modules}:/node_modules:ro`, '-w', '/suite', '-j', String(concurrency), '--timings', timings, '--json',
	])} > ${out}`, {cwd: suite});
	const history = (name: string) => ['timings.json', 'tests.json'].map(file => path.join(suite, name, file));
	console.log(`split bench ${bench.id}: mocha, 1 file of ${tests} × ${testS} s tests and ${files} small files, -j ${concurrency}, ${rounds} rounds`);
	console.log(`machine: ${await describeEngine(api)}`);

	// One run records the timings and the tests' times every second run starts from (a copy each round).
	await run(path.join(suite, 'recorded', 'timings.json'), 'recorded.jsonl');
	const problems: string[] = [];
	const wholeMs: number[] = [];
	const overheads: number[] = [];
	const times = await interleave([
		{name: first, async run() {
			rmSync(path.join(suite, 'none'), {recursive: true, force: true});
			await run(path.join(suite, 'none', 'timings.json'), 'first.jsonl');
			const told = events(path.join(suite, 'first.jsonl'));
			problems.push(...[eachOnce(told, tests + files)].filter(Boolean).map(problem => `first: ${problem}`));
			const slow = told.find((event): event is TestEnd => event.type === 'test-end' && event.file === 'test/slow.spec.js');
			wholeMs.push(slow?.durationMs ?? Number.NaN);
		}},
		{name: second, async run() {
			const [timings, testTimes] = history('round');
			rmSync(path.dirname(timings!), {recursive: true, force: true});
			mkdirSync(path.dirname(timings!));
			for (const [from, to] of history('recorded').map((file, index) => [file, [timings, testTimes][index]!] as const)) {
				copyFileSync(from, to);
			}

			await run(timings!, 'second.jsonl');
			const told = events(path.join(suite, 'second.jsonl'));
			problems.push(...[eachOnce(told, tests + files)].filter(Boolean).map(problem => `second: ${problem}`));
			const parts = told.filter((event): event is PartEnd => event.type === 'part-end');
			if (parts.length < 2) {
				problems.push(`second: the slow file ran as ${parts.length} parts`);
			}

			// Each part beyond the first costs what a container and mocha's start cost: the parts' time added up, less the file's whole time.
			const partsMs = parts.reduce((sum, part) => sum + part.durationMs, 0);
			overheads.push((partsMs - median(wholeMs.length > 0 ? wholeMs : [Number.NaN])) / Math.max(1, parts.length - 1));
			console.log(`  second run: the slow file in ${parts.length} parts (${parts.map(part => `${(part.durationMs / 1000).toFixed(2)} s`).join(', ')})`);
		}},
	], rounds, logTime);

	console.log(`\n${ratioTable(times, first)}`);
	console.log(`\nthe slow file whole: median ${(median(wholeMs) / 1000).toFixed(2)} s; per-part overhead (median of rounds): ${(median(overheads.filter(Number.isFinite)) / 1000).toFixed(2)} s (best ${(best(overheads.filter(Number.isFinite)) / 1000).toFixed(2)} s)`);
	console.log(problems.length === 0 ? `each test ran once in every run (${tests + files} tests)` : `PROBLEMS:\n${problems.join('\n')}`);
	console.log(goal(times, second, first, 0.6));
	if (problems.length > 0) {
		process.exitCode = 1;
	}
}
