/**
What recorded timings give a skewed suite: twelve 1 s files and one 6 s file that sorts last, at -j 4,
run in name order (no timings) and longest first (timings recorded by an earlier run), against the
lower bound max(longest, total ÷ slots) plus the overhead: the same files with their sleeps taken
out, run in the same rounds (baleen's start and end, and every container's own cost, spread over the
slots as the real suite's are). A single empty file is timed too, to tell the per-container cost.

    npm run bench -- timings [--files 12 --concurrency 4 --rounds 3 --long-s 6 --short-s 1]
*/
import {copyFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {benchEngine, describeEngine} from './lib/engine-api.js';
import {
	baleen, best, interleave, logTime, median, readOptions, seconds, UsageError,
} from './lib/measure.js';
import {type Session} from './lib/session.js';

const image = 'baleen-test-shell';
const overheadWay = 'overhead (the suite, no sleeps)';
const oneWay = 'one empty file';

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds, extra} = readOptions(args, {files: 12, concurrency: 4, rounds: 3}, ['long-s', 'short-s']);
	const longS = Number(extra['long-s'] ?? 6);
	const shortS = Number(extra['short-s'] ?? 1);
	if (!(longS > 0 && shortS > 0)) {
		throw new UsageError('--long-s and --short-s must be positive numbers of seconds');
	}

	const {api} = benchEngine(bench);
	const suite = bench.folder({
		...Object.fromEntries(Array.from({length: files}, (_, index) => [`a${String(index + 1).padStart(2, '0')}.sh`, `sleep ${shortS}\n`])),
		'z-slow.sh': `sleep ${longS}\n`,
	});
	const empty = bench.folder(Object.fromEntries([...Array.from({length: files}, (_, index) => `a${String(index + 1).padStart(2, '0')}.sh`), 'z-slow.sh'].map(file => [file, 'true\n'])));
	const args_ = (timings: string, pattern = '*.sh') => baleen([pattern, '-i', image, '-m', '.:/suite', '-w', '/suite', '-c', 'sh {file}', '-j', String(concurrency), '--quiet', '--timings', timings]);
	const recorded = path.join(suite, 'recorded.json');
	const lowerBoundMs = Math.max(longS, ((files * shortS) + longS) / concurrency) * 1000;
	console.log(`timings bench ${bench.id}: ${files} × ${shortS} s and 1 × ${longS} s (sorts last), -j ${concurrency}, ${rounds} rounds`);
	console.log(`machine: ${await describeEngine(api)}`);

	// One run records the timings the rounds start from; each round starts from a copy of them.
	await bench.sh(`${args_(recorded)} > /dev/null`, {cwd: suite});
	const times = await interleave([
		{name: 'name order', run: async () => {
			rmSync(path.join(suite, 'none.json'), {force: true});
			await bench.sh(`${args_('none.json')} > /dev/null`, {cwd: suite});
		}},
		{name: 'with timings', run: async () => {
			copyFileSync(recorded, path.join(suite, 'round.json'));
			await bench.sh(`${args_('round.json')} > /dev/null`, {cwd: suite});
		}},
		{name: overheadWay, run: async () => bench.sh(`${args_('t.json')} > /dev/null`, {cwd: empty})},
		{name: oneWay, run: async () => bench.sh(`${args_('t.json', 'z-slow.sh')} > /dev/null`, {cwd: empty})},
	], rounds, logTime);

	const row = (name: string, list: number[]) => `| ${name} | ${seconds(best(list))} | ${seconds(median(list))} |`;
	const overhead = times.get(overheadWay)!;
	const bound = overhead.map(ms => lowerBoundMs + ms);
	// The empty suite runs (files + 1) / slots containers one after another on each slot, the single file one.
	const perContainer = (median(overhead) - median(times.get(oneWay)!)) / (((files + 1) / concurrency) - 1);
	console.log(`\n| way | best | median |\n| --- | --- | --- |\n${[...times].map(([name, list]) => row(name, list)).join('\n')}\n${row('lower bound + overhead', bound)}`);
	const ratio = (pick: (numbers: number[]) => number) => pick(times.get('with timings')!) / pick(bound);
	const verdict = ratio(median) <= 1.1 ? 'met' : (ratio(best) <= 1.1 ? 'met on best only' : 'NOT met');
	console.log(`\nper-container overhead (median): ${(perContainer / 1000).toFixed(2)} s; lower bound max(${longS} s, ${files * shortS + longS} s ÷ ${concurrency}) = ${seconds(lowerBoundMs)}`);
	console.log(`goal: with timings ≤ 1.1 × (lower bound + overhead): ${verdict} (best ${ratio(best).toFixed(2)}, median ${ratio(median).toFixed(2)})`);
	console.log(`name order ÷ with timings: best ${(best(times.get('name order')!) / best(times.get('with timings')!)).toFixed(2)}, median ${(median(times.get('name order')!) / median(times.get('with timings')!)).toFixed(2)}`);
}
