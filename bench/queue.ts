/**
How a shared queue (`--queue`) spreads a skewed suite over CI jobs, simulated: every job a `run()` of
this process on simulated engines of its own (see lib/simulated-engines.ts), all taking files from one
queue on a redis-server the bench starts. First 1, 2, 4, 8 jobs at the same speed, each makespan
against the ideal (the work spread evenly over every slot, or the longest file when that is longer);
then `--shard-jobs` jobs (4) of which one runs at half speed, the queue against static `--shard I/N`
split by exact timings. Goals: ≤ 1.15 × the ideal, and ≤ 0.8 × the shards' makespan.

    npm run bench -- queue [--files 64 --slots 2 --latency-ms 40 --jobs 1,2,4,8 --shard-jobs 4 --rounds 2]
*/
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {lastValueFrom, tap} from 'rxjs';
import type {RunOptions} from '../source/options/types.js';
import {recordTimings} from '../source/plan/history.js';
import {run} from '../source/run/run.js';
import {best, seconds, UsageError} from './lib/measure.js';
import {startRedis} from './lib/redis.js';
import {type Session} from './lib/session.js';
import {simulatedEngines} from './lib/simulated-engines.js';

const whole = (name: string, value: string | undefined) => {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new UsageError(`--${name} must be a whole number of at least 1, not ${value}`);
	}

	return number;
};

const project = 'queue-bench';

/** A skewed suite: one file in sixteen is long (1.6 s), the others 100–400 ms; each file's time is in its name. */
const skewed = (files: number) => Array.from({length: files}, (_, index) => {
	const ms = index % 16 === 0 ? 1600 : 100 + ((index * 37) % 300);
	return `${String(index).padStart(3, '0')}-${ms}.t`;
});

const testMsOf = (file: string) => Number(/-(\d+)\.t$/.exec(file)![1]);

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** One job of the pipeline: how it runs its share (a queue, a shard), on one engine of `slots`, `slowdown` times slower than the others. */
type Job = {options: Partial<RunOptions>; slowdown: number};

/** The jobs side by side, as a pipeline starts them: from the first run-start to the last run-end. */
async function pipeline(directory: string, slots: number, latencyMs: number, jobs: readonly Job[]): Promise<number> {
	const starts: number[] = [];
	const ends: number[] = [];
	await Promise.all(jobs.map(async ({options, slowdown}) => {
		const backend = simulatedEngines({engines: [{slots, latencyMs}], testMs: 0, testMsOf, slowdown});
		const events$ = run({patterns: ['*.t'], cwd: directory, image: 'simulated', command: 'true', concurrency: slots, project, ...options}, {backend}).pipe(tap(event => {
			if (event.type === 'run-start') {
				starts.push(now());
			} else if (event.type === 'run-end') {
				ends.push(now());
				if (event.exitCode !== 0) {
					throw new Error(`a job's run ended with exit code ${event.exitCode}`);
				}
			}
		}));
		await lastValueFrom(events$, {defaultValue: undefined});
	}));
	return Math.max(...ends) - Math.min(...starts);
}

export async function main(bench: Session, args: string[]): Promise<void> {
	const {values} = parseArgs({args, options: {
		files: {type: 'string', default: '64'},
		slots: {type: 'string', default: '2'},
		'latency-ms': {type: 'string', default: '40'},
		jobs: {type: 'string', default: '1,2,4,8'},
		'shard-jobs': {type: 'string', default: '4'},
		rounds: {type: 'string', default: '2'},
	}});
	const files = whole('files', values.files);
	const slots = whole('slots', values.slots);
	const latencyMs = whole('latency-ms', values['latency-ms']);
	const counts = values.jobs.split(',').map(count => whole('jobs', count));
	const shardJobs = whole('shard-jobs', values['shard-jobs']);
	const rounds = whole('rounds', values.rounds);
	if (shardJobs < 2) {
		throw new UsageError('--shard-jobs must be at least 2: one of them runs at half speed');
	}

	const redis = await startRedis();
	bench.defer(async () => redis.stop());
	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-queue-bench-'));
	bench.defer(() => {
		rmSync(directory, {recursive: true, force: true});
	});
	const names = skewed(files);
	for (const name of names) {
		writeFileSync(path.join(directory, name), '');
	}

	// The static shards split by exact timings, the best they can have; the queue learns its own from a first run.
	const timings = path.join(directory, 'timings.json');
	recordTimings(timings, project, Object.fromEntries(names.map(name => [name, testMsOf(name) + latencyMs])));
	let queues = 0;
	const queued = (count: number, slowdown: (job: number) => number = () => 1): Job[] => {
		const url = `redis://127.0.0.1:${redis.port}/bench-${bench.id}-${++queues}`;
		return Array.from({length: count}, (_, job) => ({options: {queue: url, queueJob: `job-${job}`, timings}, slowdown: slowdown(job)}));
	};

	const sharded = (count: number, slowdown: (job: number) => number): Job[] =>
		Array.from({length: count}, (_, job) => ({options: {shard: `${job + 1}/${count}`, timings}, slowdown: slowdown(job)}));
	const halfSpeedLast = (job: number) => (job === shardJobs - 1 ? 2 : 1);

	const work = names.reduce((sum, name) => sum + testMsOf(name) + latencyMs, 0);
	const longest = Math.max(...names.map(name => testMsOf(name) + latencyMs));
	console.log(`queue bench ${bench.id}: ${files} files (${seconds(work)} of work, the longest ${seconds(longest)}), ${slots} slots a job, ${latencyMs} ms a container, best of ${rounds} rounds`);
	await pipeline(directory, slots, latencyMs, queued(Math.max(...counts)));

	const ways = [
		...counts.map(count => ({name: `queue, ${count} job${count === 1 ? '' : 's'}`, jobs: () => queued(count)})),
		{name: `queue, ${shardJobs} jobs, one at half speed`, jobs: () => queued(shardJobs, halfSpeedLast)},
		{name: `--shard, ${shardJobs} jobs, one at half speed`, jobs: () => sharded(shardJobs, halfSpeedLast)},
	];
	const measured = new Map<string, number[]>(ways.map(way => [way.name, []]));
	for (let round = 0; round < rounds; round++) {
		for (let turn = 0; turn < ways.length; turn++) {
			const way = ways[(round + turn) % ways.length]!;
			// eslint-disable-next-line no-await-in-loop
			const ms = await pipeline(directory, slots, latencyMs, way.jobs());
			measured.get(way.name)!.push(ms);
			console.log(`round ${round + 1}  ${way.name.padEnd(40)} ${seconds(ms).padStart(9)}`);
			if (bench.signal.aborted) {
				return;
			}
		}
	}

	const makespan = (name: string) => best(measured.get(name)!);
	const rows = counts.map(count => {
		const ideal = Math.max(longest, work / (count * slots));
		const ratio = makespan(ways[counts.indexOf(count)]!.name) / ideal;
		return [String(count), String(count * slots), seconds(makespan(ways[counts.indexOf(count)]!.name)), seconds(ideal), `${ratio.toFixed(2)} ×`, ratio <= 1.15 ? 'met' : 'MISSED'];
	});
	const header = ['jobs', 'slots', 'makespan (best)', 'ideal', 'makespan ÷ ideal', 'goal ≤ 1.15 ×'];
	console.log(`\n${[header, header.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`).join('\n')}`);
	const [queue, shard] = [makespan(ways.at(-2)!.name), makespan(ways.at(-1)!.name)];
	const ratio = queue / shard;
	console.log(`\n${shardJobs} jobs, one at half speed: queue ${seconds(queue)}, --shard ${seconds(shard)}: ${ratio.toFixed(2)} × (goal ≤ 0.8 ×: ${ratio <= 0.8 ? 'met' : 'MISSED'})`);
}
