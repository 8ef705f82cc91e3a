/**
What the terminal view costs a run: the same 100 short files, run with the live view on a
pseudo-terminal and with --json, interleaved; ratios to --json. Needs the engine, the image
baleen-test-shell and util-linux's `script` for the pseudo-terminal.

    npm run bench -- ui [--files 100 --concurrency 4 --rounds 3]
*/
import {baleen, interleave, logTime, quote, ratioTable, readOptions} from './lib/measure.js';
import {type Session} from './lib/session.js';

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, rounds} = readOptions(args, {files: 100, concurrency: 4, rounds: 3});
	const dir = bench.folder(Object.fromEntries(Array.from({length: files}, (_, index) => [`t${String(index).padStart(3, '0')}.sh`, `echo "file ${index} ok"\n`])));
	const run = baleen(['*.sh', '-i', 'baleen-test-shell', '-m', '.:/w', '-w', '/w', '-c', 'sh {file}', '-j', String(concurrency)]);
	/** The view needs a terminal, so it runs under `script`. */
	const inTerminal = (command: string) => `script -qfec ${quote(`stty cols 100 rows 30; ${command}`)} /dev/null`;
	console.log(`ui bench ${bench.id}: ${files} files, -j ${concurrency}, ${rounds} rounds`);

	const times = await interleave([
		{name: 'json', run: async () => bench.sh(`${run} --json`, {cwd: dir})},
		{name: 'ui', run: async () => bench.sh(inTerminal(`CI=false ${run}`), {cwd: dir})},
		{name: 'json-pty', run: async () => bench.sh(inTerminal(`${run} --json --quiet`), {cwd: dir})},
	], rounds, logTime);
	console.log(`\n${ratioTable(times, 'json')}`);
}
