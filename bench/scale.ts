/**
What a large run costs baleen itself: `--files` files (10,000 by default) that each print 100 KB,
through `run()` on an in-bench fake engine and each output (JSON lines, the plain log, the view's
frames alone, the live view drawn by Ink; each to a null sink), each in a process of its own so
that each peak is its own.
The last line is one JSON object: `files`, `peakRssMB` and `cpuMsPerFile` (the worst output), and
each output's figures. Goal: at most 150 MB and 1 ms of CPU per file. Each output's process bounds its
heap's growth as the CLI does (heap.ts); BALEEN_BENCH_V8_DEFAULTS=1 leaves V8 its own.

    npm run bench -- scale [--files 10000] [--concurrency 8]
*/
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {NEVER, Observable, connectable, lastValueFrom} from 'rxjs';
import type {Output} from '../source/backends/backend.js';
import {dockerBackend} from '../source/backends/docker/backend.js';
import type {ContainerSpec, Engine} from '../source/backends/docker/engine.js';
import {jsonLinesReporter} from '../source/reporters/json-lines.js';
import {plainReporter} from '../source/reporters/plain.js';
import {startReporters, type Reporter} from '../source/reporters/reporter.js';
import {viewReporter} from '../source/reporters/view.js';
import {run} from '../source/run/run.js';
import {frames} from '../source/ui/frames.js';
import {boundHeapGrowth} from '../source/heap.js';

const outputs = ['json', 'plain', 'frames', 'view'] as const;
type Measured = {output: string; peakRssMB: number; cpuMsPerFile: number};

const {values} = parseArgs({
	options: {
		files: {type: 'string', default: '10000'},
		concurrency: {type: 'string', default: '8'},
		output: {type: 'string'},
	},
	// Run through the bench dispatcher, the bench's own name comes first.
	allowPositionals: true,
});
const files = Number(values.files);
const printedBytes = 100 * 1024;
const chunkBytes = 16 * 1024;

/**
Just enough of an engine for `run()`: every container prints `printedBytes` on stdout in chunks and
exits at once, one in ten with exit code 1 so that the summary has failures to detail.
*/
function fakeEngine(): Engine {
	const chunk = Buffer.alloc(chunkBytes, 'x\n');
	const containers = new Map<string, {failed: boolean; holder: boolean; emit?: (output: Output) => void; end?: () => void}>();
	let next = 0;
	return {
		name: 'bench://fake',
		async ping() {},
		async cpus() {
			return 8;
		},
		async image(name) {
			return {id: name, labels: {}};
		},
		async removeImage() {},
		async commit(id) {
			return `kept-${id}`;
		},
		async mounts() {
			return undefined;
		},
		async build() {},
		async create(spec: ContainerSpec) {
			const id = String(next++);
			// A slot's network holder has no file: it only sleeps.
			containers.set(id, {failed: spec.env.some(entry => /^BALEEN_FILE=.*[0]\.t$/.test(entry)), holder: !spec.env.some(entry => entry.startsWith('BALEEN_FILE='))});
			return id;
		},
		async session() {
			throw new Error('the scale bench runs a container per file');
		},
		async exec() {
			throw new Error('the scale bench runs a container per file');
		},
		async attach(id) {
			const container = containers.get(id)!;
			return new Observable<Output>(subscriber => {
				container.emit = output => {
					subscriber.next(output);
				};

				container.end = () => {
					subscriber.complete();
				};
			});
		},
		async start(id) {
			const container = containers.get(id)!;
			if (container.holder) {
				return;
			}

			setImmediate(() => {
				for (let sent = 0; sent < printedBytes; sent += chunkBytes) {
					container.emit?.({stream: 'stdout', chunk: chunk.subarray(0, Math.min(chunkBytes, printedBytes - sent))});
				}

				container.end?.();
			});
		},
		async wait(id) {
			return containers.get(id)!.failed ? 1 : 0;
		},
		async kill() {},
		async oomKilled() {
			return false;
		},
		ooms() {
			return NEVER;
		},
		async hasFile() {
			return true;
		},
		async archive() {
			return undefined;
		},
		async remove(id) {
			containers.delete(id);
		},
		async removeLabelled() {
			return 0;
		},
	};
}

const nullSink = () => new Writable({
	write(_chunk, _encoding, callback) {
		callback();
	},
}) as unknown as NodeJS.WriteStream;

/** One output through a whole run, in this process. */
async function measure(output: typeof outputs[number]): Promise<Measured> {
	const dir = mkdtempSync(path.join(tmpdir(), 'baleen-scale-'));
	try {
		for (let index = 0; index < files; index++) {
			writeFileSync(path.join(dir, `${index}.t`), '');
		}

		const before = process.cpuUsage();
		const events$ = connectable(run({
			patterns: ['*.t'], cwd: dir, image: 'bench', command: 'true {file}', concurrency: Number(values.concurrency),
		}, {backend: dockerBackend(fakeEngine())}));
		const done = lastValueFrom(events$, {defaultValue: undefined});
		// The view's frames alone: the reducer and what the view is given, without Ink.
		const framesOnly: Reporter = events$ => ({written: lastValueFrom(frames(events$), {defaultValue: undefined}).then(() => undefined)});
		const reporters = {
			json: [jsonLinesReporter(nullSink())],
			frames: [framesOnly],
			plain: [jsonLinesReporter(nullSink()), plainReporter(nullSink())],
			// Drawn by Ink as on a 100×30 terminal, frames, <Static> and all.
			view: [viewReporter(Object.assign(nullSink(), {columns: 100, rows: 30}))],
		}[output];
		const reporting = await startReporters(reporters, events$, {cancel$: NEVER});

		events$.connect();
		await done;
		await reporting.closed;
		const cpu = process.cpuUsage(before);
		return {
			output,
			peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
			cpuMsPerFile: Number(((cpu.user + cpu.system) / 1000 / files).toFixed(3)),
		};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

if (values.output) {
	// As the CLI does; BALEEN_BENCH_V8_DEFAULTS=1 measures V8's own heap growth instead.
	if (!process.env.BALEEN_BENCH_V8_DEFAULTS) {
		boundHeapGrowth();
	}

	process.stdout.write(`${JSON.stringify(await measure(values.output as typeof outputs[number]))}\n`);
} else {
	const self = fileURLToPath(import.meta.url);
	const measured = outputs.map(output => {
		const child = spawnSync(process.execPath, [self, '--files', String(files), '--concurrency', values.concurrency, '--output', output], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
		const figures = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measured;
		process.stdout.write(`${output.padEnd(6)} ${figures.peakRssMB} MB peak, ${figures.cpuMsPerFile} ms CPU per file\n`);
		return figures;
	});
	process.stdout.write(`${JSON.stringify({
		files,
		peakRssMB: Math.max(...measured.map(({peakRssMB}) => peakRssMB)),
		cpuMsPerFile: Math.max(...measured.map(({cpuMsPerFile}) => cpuMsPerFile)),
		outputs: measured,
	})}\n`);
}
