/**
What a container costs baleen: 60 files that do nothing, 8 at once, run by baleen with its defaults,
by baleen with `--isolate slot`, by a raw Engine API loop (8 slots of create → start → wait → remove, no client library, the engine's
defaults) and by `xargs -P 8 docker run --rm`, interleaved; ratios to the raw loop. Needs the engine
and the image baleen-test-shell.

What measuring each file's container costs (resources/probe.ts) is then taken where it is spent, in a
container (see lib/probe-cost.ts), against the machine's time per file of the run. With `--against`
an earlier build (say main's, without a change), the goal is that this build costs at most 2 % more.

    npm run bench -- throughput [--files 60 --concurrency 8 --rounds 5] [--against OTHER/dist/cli.js]
*/
import {benchEngine, describeEngine} from './lib/engine-api.js';
import {baleenWays, cpuLine, goal, interleave, logTime, median, quote, ratioTable, readOptions, type Times, withClientCpu} from './lib/measure.js';
import {type Session} from './lib/session.js';
import {plain, rawLoop} from './lib/raw-loop.js';
import {probeCost, probeLine} from './lib/probe-cost.js';

const image = 'baleen-test-shell';

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds, extra} = readOptions(args, {files: 60, concurrency: 8, rounds: 5}, ['against']);
	const {api, label, labels} = benchEngine(bench);
	const dir = bench.folder(Object.fromEntries(Array.from({length: files}, (_, index) => [`t${String(index).padStart(3, '0')}.sh`, ''])));
	console.log(`throughput bench ${bench.id}: ${files} files running \`true\` in ${image}, -j ${concurrency}, ${rounds} rounds`);
	console.log(`machine: ${await describeEngine(api)}`);

	const cpu: Times = new Map();
	const times = await interleave(withClientCpu([
		{name: 'raw loop', run: async () => rawLoop(api, {image, cmd: ['true'], files, slots: concurrency, labels, signal: bench.signal}, plain)},
		...baleenWays(extra.against, async baleen => bench.sh(baleen(['*.sh', '-i', image, '-c', 'true', '-j', String(concurrency)]), {cwd: dir}), {slot: true}),
		{name: 'xargs docker run', run: async () => bench.sh(`ls | xargs -P ${concurrency} -I{} docker run --rm --label ${quote(label)} ${image} true`, {cwd: dir})},
	], cpu), rounds, logTime);
	console.log(`\n${ratioTable(times, 'raw loop')}\n\n${cpuLine(cpu, files)}\n${goal(times, 'baleen', 'raw loop', 0.55)}\n${goal(times, 'baleen --isolate slot', 'raw loop', 0.4)}`);
	if (extra.against !== undefined) {
		console.log(goal(times, 'baleen', 'against', 1.02));
	}

	const {NCPU: cpus} = await api.call<{NCPU: number}>('GET', '/info');
	console.log(probeLine(await probeCost(image, label), median(times.get('baleen')!), cpus, files));
}
