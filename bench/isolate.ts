/**
What a file costs with `--isolate slot` (issue 22), way by way: a container per file (the raw loop's
Docker defaults, the baseline, and baleen's shape with a network holder per slot) against one
long-lived container per slot running its files as `exec`s, or through a helper inside it (output
streamed with nonce framing, or written to files and sent at the end, or read with the archive API). Interleaved rounds, wall time
and the engine's CPU per file; then each slot way's promises (leftover processes, env, workdir, stdin,
exit codes, timeouts, exact output) as a pass/fail table. Needs the image baleen-test-shell (busybox);
`--image baleen-test-debian` runs the same in Debian (dash, util-linux setsid, coreutils).

    npm run bench -- isolate [--files 60 -j 8 --rounds 3 --work true|sleep --only default,exec,… --image …]
*/
import {benchEngine, describeEngine} from './lib/engine-api.js';
import {type CpuShare, cpuTable, watchCpu} from './lib/engine-cpu.js';
import {interleave, logTime, median, ratioTable, readOptions, seconds, UsageError, type Way} from './lib/measure.js';
import {plain, rawLoop} from './lib/raw-loop.js';
import {type Session} from './lib/session.js';
import {checkPromises, checks} from './lib/slot-checks.js';
import {openExecSlot} from './lib/slot-exec.js';
import {openHelperSlot} from './lib/slot-helper.js';
import {type OpenSlot, runOverSlots} from './lib/slot.js';

const works: Record<string, string[]> = {
	true: ['true'],
	sleep: ['sleep', '0.2'],
};

const slotWays: Record<string, OpenSlot> = {
	exec: openExecSlot,
	helper: openHelperSlot('stream'),
	'helper+files': openHelperSlot('files'),
	'helper+archive': openHelperSlot('archive'),
};

/** The slots opened and closed with no file run: what the slot ways spend that is not per file. */
const slotsOnly = 'slots only';

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds, extra} = readOptions(args, {files: 60, concurrency: 8, rounds: 3}, ['only', 'work', 'image']);
	const image = extra.image ?? 'baleen-test-shell';
	const cmd = works[extra.work ?? 'true'];
	if (!cmd) {
		throw new UsageError(`--work is ${Object.keys(works).join(' or ')}, not ${extra.work}`);
	}

	const {api, labels} = benchEngine(bench);
	const work = {image, cmd, files, slots: concurrency, labels, signal: bench.signal};
	const slotRun = async (open: OpenSlot, count: number) => runOverSlots(api, open, {...work, files: count, file: {script: cmd.join(' ')}});
	const containerWays: Record<string, () => Promise<void>> = {
		default: async () => rawLoop(api, work, plain),
		holder: async () => rawLoop(api, work, {...plain, network: 'holder'}),
	};
	const all = [...Object.keys(containerWays), ...Object.keys(slotWays), slotsOnly];
	const names = extra.only?.split(',') ?? all;
	const unknown = names.filter(name => !all.includes(name));
	if (unknown.length > 0) {
		throw new UsageError(`unknown way ${unknown.join(', ')}; the ways: ${all.join(', ')}`);
	}

	console.log(`isolate bench ${bench.id}: ${files} files running \`${cmd.join(' ')}\` in ${image}, ${concurrency} slots, ${rounds} rounds`);
	console.log(`machine: ${await describeEngine(api)}`);

	const cpu = new Map<string, CpuShare[]>(names.map(name => [name, []]));
	const setups = new Map<string, number[]>();
	const ways: Way[] = names.map(name => ({
		name,
		async run() {
			const stop = watchCpu();
			try {
				if (name in containerWays) {
					await containerWays[name]!();
				} else {
					const {setupMs} = await slotRun(slotWays[name] ?? openExecSlot, name === slotsOnly ? 0 : files);
					setups.set(name, [...setups.get(name) ?? [], setupMs]);
				}
			} finally {
				cpu.get(name)!.push(stop());
			}
		},
	}));
	const times = await interleave(ways, rounds, logTime);
	console.log(`\n${ratioTable(times, names[0]!)}\n`);
	console.log(`${cpuTable(cpu, files, 'file')}\n`);
	console.log(`${perFileTable(names, times, cpu, setups, files)}\n`);

	const checked = names.filter(name => name in slotWays);
	if (checked.length > 0) {
		const results = await Promise.all(checked.map(async name => checkPromises(api, slotWays[name]!, {image, labels})));
		console.log(promiseTable(checked, results));
	}
}

const engineMs = (share: CpuShare) => share.dockerd + share.containerd + share.shim + share.shimChildren;

/**
Per file: the wall time (the run's median over the files) and the engine's CPU, with their ratios to the
first way; for slot ways also the slots' setup and, past what opening and closing the slots costs the
engine (the `slots only` way, when measured), the engine's CPU that each file adds.
*/
function perFileTable(names: string[], times: Map<string, number[]>, cpu: Map<string, CpuShare[]>, setups: Map<string, number[]>, files: number): string {
	const wall = (name: string) => median(times.get(name)!) / files;
	const engine = (name: string) => median(cpu.get(name)!.map(share => engineMs(share))) / files;
	const base = names[0]!;
	const slotsCost = cpu.has(slotsOnly) ? engine(slotsOnly) : undefined;
	const rows = names.filter(name => name !== slotsOnly).map(name => {
		const setup = setups.get(name);
		return [
			name,
			`${wall(name).toFixed(1)} ms`,
			(wall(name) / wall(base)).toFixed(2),
			`${engine(name).toFixed(0)} ms`,
			(engine(name) / engine(base)).toFixed(2),
			setup ? seconds(median(setup)) : '',
			setup ? `${((median(times.get(name)!) - median(setup)) / files).toFixed(1)} ms` : '',
			setup && slotsCost !== undefined ? `${(engine(name) - slotsCost).toFixed(0)} ms` : '',
		];
	});
	const header = ['per file (medians)', 'wall', `÷ ${base}`, 'engine CPU', `÷ ${base}`, 'slots ready in', 'wall past setup', `engine CPU past ${slotsOnly}`];
	return [header, header.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`).join('\n');
}

function promiseTable(ways: string[], results: Array<Array<string | undefined>>): string {
	const header = ['promise', ...ways];
	const rows = checks.map(({promise}, index) => [promise, ...results.map(result => (result[index] === undefined ? 'pass' : 'FAIL'))]);
	const failures = results.flatMap((result, way) => result.flatMap((problem, index) => (problem === undefined ? [] : [`- ${ways[way]}, ${checks[index]!.promise}: ${problem}`])));
	return [[header, header.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`).join('\n'), ...failures].join('\n');
}
