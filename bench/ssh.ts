/**
What an ssh:// engine costs a file against the local socket: 40 files that do nothing, 2 at once, run by
baleen on the machine's engine through its unix socket and through `ssh://root@127.0.0.1:PORT` (an sshd
the bench starts, whose sessions reach the same engine), interleaved. Prints each way's time, its
ratio to the socket's, and the per-file overhead over ssh (its time less the socket's, over the
files), on the files' part of the run (run-start to run-end: the master's start and the sweep before
the run are once a run, printed apart) and on the whole command; the goal is 0.2 s a file at most on
the files' part. Needs the engine and the image baleen-test-shell.

    npm run bench -- ssh [--files 40 --concurrency 2 --rounds 3] [--against OTHER/dist/cli.js]
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import type {RunEnd} from '../source/events.js';
import {baleen, interleave, logTime, median, best, quote, ratioTable, readOptions, seconds, type Times} from './lib/measure.js';
import {type Session} from './lib/session.js';
import {startSshd} from './lib/sshd.js';

const image = 'baleen-test-shell';

/** The seconds a file costs `way` beyond the baseline's, on `pick` of each. */
const overhead = (times: Times, way: string, baseline: string, files: number, pick: (numbers: number[]) => number) =>
	(pick(times.get(way)!) - pick(times.get(baseline)!)) / 1000 / files;

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds, extra} = readOptions(args, {files: 40, concurrency: 2, rounds: 3}, ['against']);
	const sshd = await startSshd();
	bench.defer(async () => sshd.stop());
	sshd.trust();
	const dir = bench.folder(Object.fromEntries(Array.from({length: files}, (_, index) => [`t${String(index).padStart(3, '0')}.sh`, ''])));
	const environment = Object.entries(sshd.env).map(([name, value]) => `${name}=${quote(value)}`).join(' ');
	const common = ['*.sh', '-i', image, '-c', 'true', '-j', String(concurrency), '--json'];
	const output = path.join(bench.folder({}), 'events.jsonl');
	// Each way's files' part: its run-end's duration, run-start to run-end.
	const runs: Times = new Map();
	const way = (name: string, command: string) => ({
		name,
		async run() {
			await bench.sh(`${command} > ${quote(output)}`, {cwd: dir});
			const end = readFileSync(output, 'utf8').split('\n').filter(line => line.includes('"run-end"')).map(line => JSON.parse(line) as RunEnd)[0]!;
			runs.set(name, [...runs.get(name) ?? [], end.durationMs]);
		},
	});
	const overSsh = (cli?: string) => `${environment} ${baleen([...common, '--engine', sshd.host], cli)}`;
	console.log(`ssh bench ${bench.id}: ${files} files running \`true\` in ${image}, -j ${concurrency}, ${rounds} rounds, ${sshd.host} against unix:///var/run/docker.sock`);

	const ways = [
		way('unix socket', baleen(common)),
		way('ssh', overSsh()),
		...(extra.against === undefined ? [] : [way('ssh (against)', overSsh(extra.against))]),
	];
	const times = await interleave(ways, rounds, logTime);
	for (const [what, measured] of [['the files (run-start to run-end)', runs], ['the whole command', times]] as const) {
		console.log(`\n${what}:\n${ratioTable(measured, 'unix socket')}\n`);
		for (const {name} of ways.slice(1)) {
			const perFile = (pick: (numbers: number[]) => number) => overhead(measured, name, 'unix socket', files, pick);
			console.log(`${name}: ${perFile(median).toFixed(3)} s a file more than the unix socket (best ${perFile(best).toFixed(3)} s)`);
		}
	}

	const once = (name: string) => seconds(median(times.get(name)!) - median(runs.get(name)!));
	console.log(`\nonce a run, beyond the files (median): ${ways.map(({name}) => `${name} ${once(name)}`).join(', ')}`);
	const met = overhead(runs, 'ssh', 'unix socket', files, median) <= 0.2;
	console.log(`goal: ssh within 0.2 s a file of the unix socket: ${met ? 'met' : 'NOT met'} (${sshd.accepted()} ssh connections accepted in all)`);
}
