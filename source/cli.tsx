#!/usr/bin/env node
import {ReplaySubject, connectable} from 'rxjs';
import type {Backend} from './backends/backend.js';
import {parseEngines} from './backends/pool/choice.js';
import {backendFor} from './backends/registry.js';
import {BaleenError} from './errors.js';
import {commandLine} from './options/argv.js';
import {checked} from './options/check.js';
import {queue} from './options/settings/queue.js';
import type {QueueAddress} from './queue/address.js';
import {historyFor, projectLines, resolveOptions, type Flags} from './options/resolve.js';
import type {ResolvedOptions} from './options/types.js';
import type {CancelSignal} from './events.js';
import {inGitHubActions} from './reporters/github.js';
import {pickMode, reportersFor} from './reporters/mode.js';
import {makeOutputDir} from './run/file-logs.js';
import {startReporters} from './reporters/reporter.js';
import {readFileList} from './plan/file-list.js';
import {run} from './run/run.js';
import {stopSignals, terminate} from './terminate.js';
import {startReaper} from './reaper/start.js';
import {clean, cleanKeptEnv, sweepBeforeRun} from './commands/clean.js';
import {mergeTimings} from './commands/timings.js';
import {report} from './commands/report.js';
import {repro} from './commands/repro.js';
import {specsFile} from './plan/history.js';
import {writeSpecs, type RunSpecs} from './run/specs.js';
import {boundHeapGrowth} from './heap.js';

boundHeapGrowth();

/** How long the process may linger after the run, for sockets a hung engine keeps open. */
const leaveAfterMs = 1000;

/** How long `report --queue` waits for the queue to drain by default: an hour, a pipeline's jobs all running. */
const defaultQueueWaitSeconds = 3600;

const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

function fail(message: string, exitCode: number): void {
	process.stderr.write(`baleen: ${message}\n`);
	process.exitCode = exitCode;
}

/** `report --queue URL [--queue-wait SECONDS]`: the queue, checked as a run's `--queue` is. */
function reportedQueue(flags: Flags): {address: QueueAddress; waitMs: number} {
	const address = checked(queue, flags.queue);
	const waitSeconds = flags.queueWait === undefined ? defaultQueueWaitSeconds : Number(flags.queueWait);
	if (!address || !(waitSeconds > 0)) {
		throw new BaleenError(address ? `--queue-wait must be a number of seconds greater than 0, not "${String(flags.queueWait)}"` : '--queue needs a URL');
	}

	return {address, waitMs: waitSeconds * 1000};
}

async function main(): Promise<void> {
	let runOptions: ResolvedOptions;
	let flags: Flags;
	try {
		const commands = commandLine();
		flags = commands.flags;
		if (flags.listProjects) {
			process.stdout.write(`${projectLines(flags).join('\n')}\n`);
			return;
		}

		if (commands.input.length === 1 && commands.input[0] === 'clean') {
			const engines = flags.engine === undefined ? undefined : parseEngines(flags.engine);
			const dryRun = Boolean(flags.dryRun);
			const lines = [...await clean({engines, environment: process.env}, {dryRun}), ...cleanKeptEnv(historyFor(flags), {dryRun})];
			process.stdout.write(`${lines.join('\n')}\n`);
			return;
		}

		const [command, action, ...files] = commands.input;
		if (command === 'timings' && action === undefined) {
			throw new BaleenError('timings needs what to do: baleen timings merge [FILE…] folds what sharded runs recorded into the timings');
		}

		if (command === 'timings' && action === 'merge') {
			process.stdout.write(`${mergeTimings(files, historyFor(flags)).join('\n')}\n`);
			return;
		}

		if (command === 'repro') {
			if (action === undefined || files.length > 0) {
				throw new BaleenError('repro takes one file of the last run: baleen repro FILE [--shell]');
			}

			process.exitCode = await repro({file: action, history: historyFor(flags), asShell: Boolean(flags.shell), tty: Boolean(process.stdin.isTTY)});
			return;
		}

		if (command === 'report') {
			process.exitCode = await report({
				inputs: commands.input.slice(1), ...(flags.queue !== undefined && {queue: reportedQueue(flags)}), outputDir: textOf(flags.outputDir), junit: textOf(flags.junit), json: Boolean(flags.json), quiet: Boolean(flags.quiet),
				...(inGitHubActions() && {github: {summaryFile: process.env.GITHUB_STEP_SUMMARY || undefined}}),
			}, process);
			return;
		}

		const listed = await readFileList(commands.input, process.stdin);
		runOptions = resolveOptions(listed ? [] : commands.input, flags, process.cwd(), listed).options;
		if (runOptions.outputDir) {
			makeOutputDir(runOptions.outputDir);
		}
	} catch (error) {
		fail((error as Error).message, 2);
		return;
	}

	const mode = pickMode({
		stdoutIsTTY: Boolean(process.stdout.isTTY),
		stderrIsTTY: Boolean(process.stderr.isTTY),
		json: Boolean(flags.json),
		quiet: Boolean(flags.quiet),
	});
	let backend: Backend;
	try {
		backend = backendFor(runOptions);
	} catch (error) {
		fail((error as Error).message, 2);
		return;
	}

	const reaper = startReaper(runOptions.runId, runOptions.backend, process.env, runOptions.engines);
	for (const line of await sweepBeforeRun({engines: runOptions.engines, environment: process.env})) {
		if (!flags.quiet) {
			process.stderr.write(`baleen: ${line}\n`);
		}
	}

	const cancel$ = new ReplaySubject<CancelSignal>(1);
	// One run, shared by every reporter; it starts once they have all subscribed.
	const history = runOptions.history;
	const planned = (specs: RunSpecs) => {
		try {
			writeSpecs(specsFile(history), specs);
		} catch {} // Only `baleen repro` needs them: a run goes on without.
	};

	const events$ = connectable(run(runOptions, {backend, cancel$, planned}));
	const reporting = await startReporters(reportersFor(mode, process, {
		junit: runOptions.junit,
		html: runOptions.html,
		history: runOptions.history,
		outputDir: runOptions.outputDir,
		...(inGitHubActions() && {github: {summaryFile: process.env.GITHUB_STEP_SUMMARY || undefined}}),
	}), events$, {cancel$});

	const stopping = terminate(stopSignals(), {
		forceCleanup: async () => backend.sweep(runOptions.runId),
	}).subscribe(step => {
		switch (step.type) {
			case 'cancel': {
				reporting.cancelling(step.signal);
				cancel$.next(step.signal);
				break;
			}

			case 'force': {
				connection.unsubscribe();
				if (!step.quietly) {
					reporting.forced();
				}

				break;
			}

			case 'leave': {
				process.exit(step.exitCode);
			}
		}
	});

	const stopListening = () => {
		stopping.unsubscribe();
		// A reader that goes away while the last words are written has nothing left to stop.
		for (const stream of [process.stdout, process.stderr]) {
			stream.on('error', () => undefined);
		}
	};

	// The run's end: undefined once it completes, its error if it fails.
	const ended = new Promise<unknown>(resolve => {
		events$.subscribe({
			next(event) {
				if (event.type === 'run-end') {
					process.exitCode = event.exitCode;
				}
			},
			error: resolve,
			complete() {
				resolve(undefined);
			},
		});
	});
	const connection = events$.connect();
	const error = await ended;
	stopListening();
	// After the view has let go of the terminal, so that a message stays readable.
	await reporting.closed.catch((problem: unknown) => {
		fail(`a report could not be written: ${(problem as Error).message}`, 1);
	});
	if (error instanceof BaleenError) {
		// Found before the first file: the run removed whatever it had made (a slot's holder) on its way out.
		reaper.release();
		fail(error.message, error.exitCode);
	} else if (error !== undefined) {
		fail(`unexpected failure: ${(error as Error).stack ?? String(error)}`, 1);
	} else {
		// A call to an engine that stopped answering still holds a socket open, which would keep the
		// process alive for ever once the run is over: leave a moment after the last word is written.
		setTimeout(() => process.exit(), leaveAfterMs).unref();
	}
}

await main();
