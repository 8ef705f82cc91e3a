/**
What Swarm's scheduling costs against plain containers: one file alone (the latency a file pays) and
`--files` files at `--concurrency` (the throughput), each run by baleen with and without `--swarm`,
interleaved; ratios to plain containers. DOCKER_HOST must name a Swarm manager holding the image
baleen-test-shell (a private dockerd with `docker swarm init --advertise-addr 127.0.0.1` will do).

    DOCKER_HOST=unix:///… npm run bench -- swarm [--files 24 --concurrency 4 --rounds 3]
*/
import {swarmManager} from '../source/backends/swarm/manager.js';
import {baleen, interleave, logTime, ratioTable, readOptions, seconds, UsageError, median, type Times} from './lib/measure.js';
import {type Session} from './lib/session.js';

const image = 'baleen-test-shell';

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds} = readOptions(args, {files: 24, concurrency: 4, rounds: 3});
	const manager = swarmManager();
	const why = await manager.whyNotManager();
	if (why) {
		throw new UsageError(`DOCKER_HOST must name a Swarm manager; the engine at ${manager.name} cannot place tasks: ${why}`);
	}

	const many = bench.folder(Object.fromEntries(Array.from({length: files}, (_, index) => [`t${String(index).padStart(3, '0')}.sh`, ''])));
	const one = bench.folder({'t.sh': ''});
	const way = (name: string, directory: string, extra: string[]) => ({
		name,
		run: async () => bench.sh(`${baleen(['*.sh', '-i', image, '-c', 'true', '-j', String(concurrency), '-q', ...extra])} > /dev/null`, {cwd: directory}),
	});
	console.log(`swarm bench ${bench.id}: \`true\` in ${image} on ${manager.name} (${await manager.cpus()} CPUs in the swarm), 1 file and ${files} files at -j ${concurrency}, ${rounds} rounds`);
	const times = await interleave([
		way('containers, 1 file', one, []),
		way('swarm, 1 file', one, ['--swarm']),
		way(`containers, ${files} files`, many, []),
		way(`swarm, ${files} files`, many, ['--swarm']),
	], rounds, logTime);
	const pick = (...names: string[]): Times => new Map(names.map(name => [name, times.get(name)!]));
	console.log(`\n${ratioTable(pick('containers, 1 file', 'swarm, 1 file'), 'containers, 1 file')}`);
	console.log(`\n${ratioTable(pick(`containers, ${files} files`, `swarm, ${files} files`), `containers, ${files} files`)}`);
	const perFile = (name: string) => seconds(median(times.get(name)!) * concurrency / files);
	console.log(`\nslot time per file (median × concurrency ÷ files): containers ${perFile(`containers, ${files} files`)}, swarm ${perFile(`swarm, ${files} files`)}`);
}
