/**
What baleen gives a CPU-bound suite: about 80 files that each start node and burn about 0.3 s of CPU,
run by baleen at -j 2 in baleen-test-node (the suite mounted), a container per file and `--isolate slot`, against the same files one after another
on the host without containers, and `xargs -P 2` on the host for reference; ratios to sequential.

    npm run bench -- cpu [--files 80 --concurrency 2 --rounds 3 --cpu-ms 300] [--against OTHER/dist/cli.js]
*/
import {burn, calibrate} from './lib/burn.js';
import {benchEngine, describeEngine} from './lib/engine-api.js';
import {baleenWays, goal, interleave, logTime, ratioTable, readOptions, UsageError} from './lib/measure.js';
import {type Session} from './lib/session.js';

const image = 'baleen-test-node';

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds, extra} = readOptions(args, {files: 80, concurrency: 2, rounds: 3}, ['cpu-ms', 'against']);
	const cpuMs = Number(extra['cpu-ms'] ?? 300);
	if (!(cpuMs > 0)) {
		throw new UsageError(`--cpu-ms must be a positive number, not ${extra['cpu-ms']}`);
	}

	const {api} = benchEngine(bench);
	const chunks = calibrate(cpuMs);
	const dir = bench.folder(Object.fromEntries(Array.from({length: files}, (_, index) => [`t${String(index).padStart(3, '0')}.js`, burn(chunks)])));
	console.log(`cpu bench ${bench.id}: ${files} node files of ~${cpuMs} ms CPU each (${chunks} chunks), -j ${concurrency}, ${rounds} rounds`);
	console.log(`machine: ${await describeEngine(api)}`);

	const times = await interleave([
		{name: 'sequential', run: async () => bench.sh('for file in *.js; do node "$file" || exit 1; done', {cwd: dir})},
		{name: `xargs -P ${concurrency}`, run: async () => bench.sh(`ls *.js | xargs -P ${concurrency} -n 1 node`, {cwd: dir})},
		...baleenWays(extra.against, async baleen => bench.sh(baleen(['*.js', '-i', image, '-m', '.:/suite', '-w', '/suite', '-c', 'node {file}', '-j', String(concurrency)]), {cwd: dir}), {slot: true}),
	], rounds, logTime);
	console.log(`\n${ratioTable(times, 'sequential')}\n\n${goal(times, 'baleen', 'sequential', 0.8)}\n${goal(times, 'baleen --isolate slot', 'sequential', 0.6)}`);
}
