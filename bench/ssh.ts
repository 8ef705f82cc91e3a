/**
What an ssh:// engine costs a file against the local socket: 40 files that do nothing, 2 at once, run by
baleen on the machine's engine through its unix socket and through `ssh://root@127.0.0.1:PORT` (an sshd
the bench starts, whose sessions reach the same engine), interleaved. Prints each way's time, its
ratio to the socket's, and the per-file overhead over ssh (its time less the socket's, over the
files); the goal is 0.2 s a file at most. Needs the engine and the image baleen-test-shell.

    npm run bench -- ssh [--files 40 --concurrency 2 --rounds 3] [--against OTHER/dist/cli.js]
*/
import {baleen, interleave, logTime, median, best, quote, ratioTable, readOptions, type Times} from './lib/measure.js';
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
	const common = ['*.sh', '-i', image, '-c', 'true', '-j', String(concurrency), '--quiet'];
	const overSsh = (cli?: string) => async () => bench.sh(`${environment} ${baleen([...common, '--engine', sshd.host], cli)}`, {cwd: dir});
	console.log(`ssh bench ${bench.id}: ${files} files running \`true\` in ${image}, -j ${concurrency}, ${rounds} rounds, ${sshd.host} against unix:///var/run/docker.sock`);

	const ways = [
		{name: 'unix socket', run: async () => bench.sh(baleen(common), {cwd: dir})},
		{name: 'ssh', run: overSsh()},
		...(extra.against === undefined ? [] : [{name: 'ssh (against)', run: overSsh(extra.against)}]),
	];
	const times = await interleave(ways, rounds, logTime);
	console.log(`\n${ratioTable(times, 'unix socket')}\n`);
	for (const way of ways.slice(1)) {
		const perFile = (pick: (numbers: number[]) => number) => overhead(times, way.name, 'unix socket', files, pick);
		console.log(`${way.name}: ${perFile(median).toFixed(3)} s a file over the unix socket's (best ${perFile(best).toFixed(3)} s)`);
	}

	const met = overhead(times, 'ssh', 'unix socket', files, median) <= 0.2;
	console.log(`goal: ssh within 0.2 s a file of the unix socket: ${met ? 'met' : 'NOT met'} (${sshd.accepted()} ssh connections accepted in all)`);
}
