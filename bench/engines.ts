/**
How a run scales over engines, simulated: `--files` files (1,000) through baleen's own pipeline
(`run()`, JSON lines to a null sink) on 1, 2, 4, 8, 16 and 32 engines of `--slots` slots each, every
container costing its engine `--latency-ms` beyond the test's `--test-ms` (see
lib/simulated-engines.ts); interleaved, best of `--rounds`. The makespan runs from run-start to
run-end (finding the files and planning are printed apart). Prints each makespan against the ideal
(waves of start + test, a slot freeing at its test's end) and the client's CPU per file: where the
one event loop stops keeping up.

    npm run bench -- engines [--files 1000 --slots 8 --latency-ms 40 --test-ms 60 --engines 1,2,4,8,16,32 --rounds 2]
*/
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {parseArgs} from 'node:util';
import {NEVER, connectable, lastValueFrom, tap} from 'rxjs';
import {jsonLinesReporter} from '../source/reporters/json-lines.js';
import {startReporters} from '../source/reporters/reporter.js';
import {run} from '../source/run/run.js';
import {simulatedEngines, type Simulation} from './lib/simulated-engines.js';
import {best, median, seconds, UsageError} from './lib/measure.js';
import {type Session} from './lib/session.js';

const nullSink = () => new Writable({
	write(_chunk, _encoding, callback) {
		callback();
	},
});

const whole = (name: string, value: string | undefined) => {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new UsageError(`--${name} must be a whole number of at least 1, not ${value}`);
	}

	return number;
};

/** `ms`: from run-start to run-end, the files alone; `setupMs`: before run-start (finding the files, the plan). */
type Measured = {ms: number; setupMs: number; cpuMs: number};

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** One run of every file over the simulated engines: its times and this process's CPU. */
async function once(directory: string, simulation: Simulation): Promise<Measured> {
	const before = process.cpuUsage();
	const subscribed = now();
	let runStart = 0;
	let runEnd = 0;
	const events$ = connectable(run({patterns: ['*.t'], cwd: directory, image: 'simulated', command: 'true'}, {backend: simulatedEngines(simulation)}).pipe(tap(event => {
		if (event.type === 'run-start') {
			runStart = now();
		} else if (event.type === 'run-end') {
			runEnd = now();
		}
	})));
	const done = lastValueFrom(events$, {defaultValue: undefined});
	const reporting = await startReporters([jsonLinesReporter(nullSink())], events$, {cancel$: NEVER});
	events$.connect();
	await done;
	await reporting.closed;
	const cpu = process.cpuUsage(before);
	return {ms: runEnd - runStart, setupMs: runStart - subscribed, cpuMs: (cpu.user + cpu.system) / 1000};
}

export async function main(bench: Session, args: string[]): Promise<void> {
	const {values} = parseArgs({args, options: {
		files: {type: 'string', default: '1000'},
		slots: {type: 'string', default: '8'},
		'latency-ms': {type: 'string', default: '40'},
		'test-ms': {type: 'string', default: '60'},
		engines: {type: 'string', default: '1,2,4,8,16,32'},
		rounds: {type: 'string', default: '2'},
	}});
	const files = whole('files', values.files);
	const slots = whole('slots', values.slots);
	const latencyMs = whole('latency-ms', values['latency-ms']);
	const testMs = whole('test-ms', values['test-ms']);
	const rounds = whole('rounds', values.rounds);
	const counts = values.engines.split(',').map(count => whole('engines', count));

	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-engines-'));
	bench.defer(() => {
		rmSync(directory, {recursive: true, force: true});
	});
	for (let index = 0; index < files; index++) {
		writeFileSync(path.join(directory, `${String(index).padStart(4, '0')}.t`), '');
	}

	console.log(`engines bench ${bench.id}: ${files} files, ${slots} slots an engine, ${latencyMs} ms a container + ${testMs} ms a test, best of ${rounds} rounds`);
	const measured = new Map<number, Measured[]>(counts.map(count => [count, []]));
	for (let round = 0; round < rounds; round++) {
		// Each round in a different order, so that no engine count always runs first or after the largest.
		for (let turn = 0; turn < counts.length; turn++) {
			const count = counts[(round + turn) % counts.length]!;
			const simulation = {engines: Array.from({length: count}, () => ({slots, latencyMs})), testMs};
			// eslint-disable-next-line no-await-in-loop
			const result = await once(directory, simulation);
			measured.get(count)!.push(result);
			console.log(`round ${round + 1}  ${String(count).padStart(2)} engine${count === 1 ? ' ' : 's'} ${seconds(result.ms).padStart(9)}`);
			if (bench.signal.aborted) {
				return;
			}
		}
	}

	const one = best(measured.get(counts[0]!)!.map(({ms}) => ms));
	const rows = counts.map(count => {
		const list = measured.get(count)!;
		const makespan = best(list.map(({ms}) => ms));
		// The files' rate, start to end: what the one client kept up with.
		// A slot frees at its test's end, its removal behind it: waves of (start + test), then the last removal.
		const ideal = (Math.ceil(files / (count * slots)) * ((latencyMs / 2) + testMs)) + (latencyMs / 2);
		return [
			String(count),
			String(count * slots),
			seconds(makespan),
			seconds(ideal),
			`${(one / makespan).toFixed(1)}×`,
			`${Math.round(100 * ideal / makespan)} %`,
			`${(median(list.map(({cpuMs}) => cpuMs)) / files).toFixed(2)} ms`,
			seconds(median(list.map(({setupMs}) => setupMs))),
			String(Math.round(files / (makespan / 1000))),
		];
	});
	const header = ['engines', 'slots', 'makespan (best)', 'ideal', `speed-up vs ${counts[0]}`, 'ideal ÷ makespan', 'client CPU per file (median)', 'before run-start (median)', 'files/s'];
	console.log(`\n${[header, header.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`).join('\n')}`);
}
