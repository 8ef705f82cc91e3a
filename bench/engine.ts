/**
What a container costs the engine, shape by shape (raw Engine API variants). The raw loop (no baleen)
runs the same files with one thing changed at a time (network, log driver, attach, the order and
number of requests, exec instead of a container), interleaved, with the CPU that dockerd, containerd,
the shims and runc spent on each. For choosing how baleen should create its containers; needs the
images baleen-test-shell and, with `--work cpu`, baleen-test-node.

    npm run bench -- engine [--files 60 --concurrency 8 --rounds 3 --only default,holder]
    npm run bench -- engine --work cpu [--files 40 --concurrency 2 --rounds 2 --only …]
*/
import {burn, calibrate} from './lib/burn.js';
import {benchEngine, describeEngine} from './lib/engine-api.js';
import {type CpuShare, cpuTable, watchCpu} from './lib/engine-cpu.js';
import {interleave, logTime, ratioTable, readOptions, UsageError, type Way} from './lib/measure.js';
import {plain, rawLoop, type Shape} from './lib/raw-loop.js';
import {type Session} from './lib/session.js';

const variants: Record<string, Partial<Shape>> = {
	default: {},
	'logs-none': {logs: 'none'},
	'logs-none+attach': {logs: 'none', attach: true},
	none: {network: 'none'},
	host: {network: 'host'},
	holder: {network: 'holder'},
	'holder+logs-none+attach': {network: 'holder', logs: 'none', attach: true},
	'holder+wait-first': {network: 'holder', flow: 'wait-first'},
	'holder+auto-remove': {network: 'holder', flow: 'auto-remove'},
	'holder+ahead': {network: 'holder', flow: 'ahead'},
	'holder+init': {network: 'holder', init: true},
	'holder+unmasked': {network: 'holder', unmasked: true},
	'holder+unconfined': {network: 'holder', unconfined: true},
	exec: {flow: 'exec'},
};

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds, extra} = readOptions(args, ({work}) => (work === 'cpu' ? {files: 40, concurrency: 2, rounds: 2} : {files: 60, concurrency: 8, rounds: 3}), ['only', 'work']);
	const names = extra.only?.split(',') ?? Object.keys(variants);
	const unknown = names.filter(name => !(name in variants));
	if (unknown.length > 0) {
		throw new UsageError(`unknown variant ${unknown.join(', ')}; the variants: ${Object.keys(variants).join(', ')}`);
	}

	if (extra.work !== undefined && extra.work !== 'true' && extra.work !== 'cpu') {
		throw new UsageError(`--work is true (containers that do nothing) or cpu (node burning ~0.3 s of CPU), not ${extra.work}`);
	}

	const {api, labels} = benchEngine(bench);
	const common = {files, slots: concurrency, labels, signal: bench.signal};
	const work = extra.work === 'cpu'
		? {...common, image: 'baleen-test-node', cmd: ['node', 'burn.js'], workdir: '/suite', binds: [`${bench.folder({'burn.js': burn(calibrate(300))})}:/suite`]}
		: {...common, image: 'baleen-test-shell', cmd: ['true']};
	console.log(`engine bench ${bench.id}: ${files} containers running \`${work.cmd.join(' ')}\` in ${work.image}, ${concurrency} slots, ${rounds} rounds`);
	console.log(`machine: ${await describeEngine(api)}`);

	const cpu = new Map<string, CpuShare[]>(names.map(name => [name, []]));
	const ways: Way[] = names.map(name => ({
		name,
		async run() {
			const stop = watchCpu();
			try {
				await rawLoop(api, work, {...plain, ...variants[name]});
			} finally {
				cpu.get(name)!.push(stop());
			}
		},
	}));
	const times = await interleave(ways, rounds, logTime);
	console.log(`\n${ratioTable(times, names[0]!)}\n`);
	console.log(cpuTable(cpu, files, 'container'));
}
