/**
The benchmarks: `npm run bench -- NAME [options]`. Each compares ways of doing the same work in one
run, interleaved, and prints ratios against a baseline of that run, so the machine's noise hits all
ways alike. Without a name, or with an unknown one, lists them.

A bench is a module of this folder. One that exports `main(session, args)` gets a session that cleans
up what it registers, also on Ctrl-C; one without `main` is a script that does its work on import
(its options are then in process.argv, without the bench's name).
*/
import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {UsageError} from './lib/measure.js';
import {type Session, session} from './lib/session.js';

type Bench = {
	main?: (bench: Session, args: string[]) => Promise<void>;
};

const here = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(here).filter(file => file.endsWith('.js') && file !== 'run.js').map(file => file.slice(0, -3)).sort();

/** A bench's first line of description: its leading doc comment up to the first colon or full stop. */
const about = (name: string) => /\/\*\*\s*([^]*?)(?:[.:]\s|\*\/)/.exec(readFileSync(`${here}/${name}.js`, 'utf8'))?.[1]?.replaceAll(/\s+/g, ' ') ?? '';

const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
	console.error(`${name ? `unknown bench: ${name}\n` : ''}npm run bench -- NAME [options], NAME one of:`);
	for (const bench of names) {
		console.error(`  ${bench.padEnd(11)} ${about(bench)}`);
	}

	process.exit(name ? 2 : 0);
}

process.argv.splice(2, 1);
const bench = session();
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
	process.once(signal, async () => {
		console.error(`\n${signal}: cleaning up`);
		await bench.close();
		process.exit(code);
	});
}

try {
	const module = await import(`./${name}.js`) as Bench;
	await module.main?.(bench, args);
} catch (error) {
	if (bench.signal.aborted) {
		await new Promise(() => undefined); // the signal's handler ends the process once it has cleaned up
	}

	const usage = error instanceof UsageError || String((error as {code?: unknown}).code).startsWith('ERR_PARSE_ARGS');
	process.exitCode = usage ? 2 : 1;
	console.error(`bench ${name}: ${error instanceof Error ? error.message : String(error)}`);
} finally {
	await bench.close();
}
