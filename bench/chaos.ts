/**
The chaos run: 1,000 files on an engine of the bench's own while a monkey kills and removes test
containers at random and the engine is restarted once halfway; it prints how the run kept the rules
(each file ends once with the status its fate calls for, the exit code, nothing left) and its figures.
Needs root (it starts a dockerd) and the image baleen-test-shell.

    npm run bench -- chaos [--files 1000 -j 8 --every-ms 150 --seed 1]
*/
import {chaos} from './lib/chaos.js';
import {startDockerd} from './lib/dockerd.js';
import {readOptions, treeCli as cli} from './lib/measure.js';
import {type Session} from './lib/session.js';

/** Files of a few tenths of a second, so that a blow often finds one running. */
export function chaosSuite(files: number): Record<string, string> {
	return Object.fromEntries(Array.from({length: files}, (_, index) => [`f${String(index).padStart(4, '0')}.sh`, `sleep 0.${1 + (index % 5)}\necho ok\n`]));
}

export async function main(bench: Session, args: string[]): Promise<void> {
	const {files, concurrency, extra} = readOptions(args, {files: 1000, concurrency: 8, rounds: 1}, ['every-ms', 'seed']);
	const everyMs = Number(extra['every-ms'] ?? 150);
	const seed = Number(extra.seed ?? 1);
	const engine = await startDockerd('chaos', 61);
	bench.defer(async () => engine.remove());
	engine.load('baleen-test-shell');
	console.log(`chaos bench ${bench.id}: ${files} files, -j ${concurrency}, a blow every ~${everyMs} ms (seed ${seed}), one engine restart halfway`);
	const report = await chaos({cli, suite: bench.folder(chaosSuite(files)), engine, concurrency, everyMs, restartAt: 0.5, seed});
	console.log(JSON.stringify({...report, problems: report.problems.length}));
	console.log(report.problems.length === 0 ? 'kept every rule' : `broke the rules:\n  ${report.problems.join('\n  ')}`);
	if (report.problems.length > 0) {
		process.exitCode = 1;
	}
}
