/**
How the benches measure: the compared ways run in interleaved rounds, timed, with the client's CPU if
asked; the table of ratios against a baseline of the same run and the goal's verdict; the options
every bench reads; the command line of the baleen under test.
*/
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

/** One way of doing the compared work; each call does all of it once. */
export type Way = {
	name: string;
	run: () => Promise<void>;
};

export type Times = Map<string, number[]>;

export async function timed(work: () => Promise<void>): Promise<number> {
	const started = process.hrtime.bigint();
	await work();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

export const median = (numbers: number[]) => {
	const sorted = [...numbers].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const best = (numbers: number[]) => Math.min(...numbers);

/**
Runs every way once a round, `rounds` times, starting each round one way further along so that no
way always runs first (on a cold cache) or right after the heaviest one.
*/
export async function interleave(ways: Way[], rounds: number, onTime?: (round: number, name: string, ms: number) => void): Promise<Times> {
	const times: Times = new Map(ways.map(way => [way.name, []]));
	for (let round = 0; round < rounds; round++) {
		for (let turn = 0; turn < ways.length; turn++) {
			const way = ways[(round + turn) % ways.length]!;
			// eslint-disable-next-line no-await-in-loop
			const ms = await timed(way.run);
			times.get(way.name)!.push(ms);
			onTime?.(round + 1, way.name, ms);
		}
	}

	return times;
}

/** CPU ms of this process and of its children that have ended (Linux: from /proc, USER_HZ 100). */
function ownCpu(): number {
	const text = readFileSync('/proc/self/stat', 'utf8');
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
	return (fields[11]! + fields[12]! + fields[13]! + fields[14]!) * 10;
}

/**
The ways, each also noting in `cpu` the CPU it cost on the client's side: this process (an in-process
loop) and the commands it ran (baleen, xargs and docker). The engine's own CPU is not in it.
*/
export const withClientCpu = (ways: Way[], cpu: Times): Way[] => ways.map(way => ({
	name: way.name,
	async run() {
		const before = ownCpu();
		await way.run();
		cpu.set(way.name, [...cpu.get(way.name) ?? [], ownCpu() - before]);
	},
}));

export const cpuLine = (cpu: Times, files: number) => `client CPU per file (median): ${
	[...cpu].map(([name, list]) => `${name} ${(median(list) / files).toFixed(0)} ms`).join(', ')}`;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const logTime = (round: number, name: string, ms: number) => {
	console.log(`round ${round}  ${name.padEnd(24)} ${seconds(ms).padStart(9)}`);
};

/** A markdown table: best and median of each way, and both as ratios to the baseline's. */
export function ratioTable(times: Times, baseline: string): string {
	const base = times.get(baseline)!;
	const rows = [...times].map(([name, list]) => [
		name,
		seconds(best(list)),
		seconds(median(list)),
		(best(list) / best(base)).toFixed(2),
		(median(list) / median(base)).toFixed(2),
	]);
	const header = ['way', 'best', 'median', `best ÷ ${baseline}`, `median ÷ ${baseline}`];
	return [header, header.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`).join('\n');
}

/** The line that says whether `way` met its goal, on both best and median. */
export function goal(times: Times, way: string, baseline: string, atMost: number): string {
	const ratio = (pick: (numbers: number[]) => number) => pick(times.get(way)!) / pick(times.get(baseline)!);
	const verdict = ratio(median) <= atMost ? 'met' : (ratio(best) <= atMost ? 'met on best only' : 'NOT met');
	return `goal: ${way} ≤ ${atMost} × ${baseline}: ${verdict} (best ${ratio(best).toFixed(2)}, median ${ratio(median).toFixed(2)})`;
}

export const quote = (text: string) => `'${text.replaceAll('\'', '\'\\\'\'')}'`;

/** The baleen of the tree the benches run from, its dist/cli.js; they run from their own build, dist-bench/bench/. */
export const treeCli = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** The tree's baleen, or the `cli` given, as a shell command with `args`. */
export const baleen = (args: string[], cli = treeCli) => ['node', cli, ...args].map(arg => quote(arg)).join(' ');

/**
The bench's baleen, and with `--against CLI` (another build's dist/cli.js, an earlier commit's say) that
one too, as the way `against`: before and after measured in the same run, interleaved.
*/
export function baleenWays(against: string | undefined, run: (command: (args: string[]) => string) => Promise<void>, {slot = false} = {}): Way[] {
	return [
		{name: 'baleen', run: async () => run(args => baleen(args))},
		...(slot ? [{name: 'baleen --isolate slot', run: async () => run(args => baleen([...args, '--isolate', 'slot']))}] : []),
		...(against === undefined ? [] : [{name: 'against', run: async () => run(args => baleen(args, against))}]),
	];
}

export type Sizes = {files: number; concurrency: number; rounds: number};

/** A bench's options: its sizes (whole numbers, each with a default) and any `extra` string options. */
export function readOptions(
	args: string[],
	defaults: Sizes | ((extra: Record<string, string | undefined>) => Sizes),
	extra: string[] = [],
): Sizes & {extra: Record<string, string | undefined>} {
	const {values}: {values: Record<string, string | boolean | undefined>} = parseArgs({
		args,
		options: {
			files: {type: 'string'},
			concurrency: {type: 'string', short: 'j'},
			rounds: {type: 'string'},
			...Object.fromEntries(extra.map(name => [name, {type: 'string'} as const])),
		},
	});
	const extras = Object.fromEntries(extra.map(name => [name, values[name] as string | undefined]));
	const sizes = typeof defaults === 'function' ? defaults(extras) : defaults;
	const size = (name: keyof Sizes) => {
		const value = values[name] as string | undefined;
		const number = Number(value ?? sizes[name]);
		if (!Number.isInteger(number) || number < 1) {
			throw new UsageError(`--${name} must be a whole number of at least 1, not ${value}`);
		}

		return number;
	};

	return {
		files: size('files'),
		concurrency: size('concurrency'),
		rounds: size('rounds'),
		extra: extras,
	};
}

export class UsageError extends Error {}
