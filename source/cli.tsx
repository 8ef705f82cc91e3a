#!/usr/bin/env node
import {ReplaySubject, connectable} from 'rxjs';
import {dockerBackend} from './backends/docker/backend.js';
import {BaleenError} from './errors.js';
import {commandLine} from './options/argv.js';
import {projectLines, resolveOptions, type Flags} from './options/resolve.js';
import type {ResolvedOptions} from './options/types.js';
import type {CancelSignal} from './events.js';
import {signalExitCode} from './run/summary.js';
import {pickMode, startOutput} from './output.js';
import {run} from './run/run.js';
import {startReaper} from './reaper/start.js';
import {clean, removeLeftoversBeforeRun} from './commands/clean.js';

/** How long a cancel may wait for the engine to kill and remove the running containers before it forces. */
const gracefulCancelMs = 10_000;
/** How long a forced stop waits for the engine to remove what is left before baleen leaves anyway. */
const forcedRemovalMs = 5000;

function fail(message: string, exitCode: number): void {
	process.stderr.write(`baleen: ${message}\n`);
	process.exitCode = exitCode;
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
			const lines = await clean({dryRun: Boolean(flags.dryRun), engine: dockerBackend().name});
			process.stdout.write(`${lines.join('\n')}\n`);
			return;
		}

		runOptions = resolveOptions(commands.input, flags).options;
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
	const backend = dockerBackend();
	startReaper(runOptions.runId);
	const swept = await removeLeftoversBeforeRun();
	if (swept && !flags.quiet) {
		process.stderr.write(`baleen: ${swept}\n`);
	}

	const cancel$ = new ReplaySubject<CancelSignal>(1);
	// One run, shared by every consumer; it starts once they have all subscribed.
	const events$ = connectable(run(runOptions, {backend, cancel$}));
	const output = await startOutput(mode, events$, {cancel$});

	events$.subscribe({
		next(event) {
			// Through console, which Ink prints above its view while one is drawn.
			if (event.type === 'build-output' && !flags.quiet) {
				console.error(event.line);
			}

			if (event.type === 'run-start' && !flags.quiet) {
				for (const note of event.notes ?? []) {
					console.error(`baleen: ${note}`);
				}
			}

			if (event.type === 'run-end') {
				process.exitCode = event.exitCode;
			}
		},
		error(error: unknown) {
			stopListening();
			// After the view has let go of the terminal, so that the message stays readable.
			void output.closed.then(() => {
				if (error instanceof BaleenError) {
					fail(error.message, error.exitCode);
				} else {
					fail(`unexpected failure: ${(error as Error).stack ?? String(error)}`, 1);
				}
			});
		},
		complete() {
			stopListening();
		},
	});

	let signals = 0;
	function onSignal(signal: CancelSignal) {
		signals += 1;
		if (signals === 1) {
			output.cancelling(signal);
			cancel$.next(signal);
			// An engine that stopped answering would keep a graceful end waiting for ever.
			setTimeout(() => {
				force(signal);
			}, gracefulCancelMs).unref();
			return;
		}

		force(signal);
	}

	let forcing = false;
	/** Stops waiting, removes whatever of this run is still on the engine, and leaves. */
	function force(signal: CancelSignal, {quietly = false} = {}) {
		if (forcing) {
			return;
		}

		forcing = true;
		connection.unsubscribe();
		if (!quietly) {
			output.forced();
		}

		const leave = () => process.exit(signalExitCode[signal]);
		// Removal asks the engine too: if it does not answer, leave all the same.
		setTimeout(leave, forcedRemovalMs).unref();
		backend.sweep(runOptions.runId)
			.catch(() => 0)
			.finally(leave);
	}

	// A closed terminal or a reader that went away (`| head`) leaves nobody to read a graceful end:
	// clean up at once, without writing to what is gone.
	const onStreamError = (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && error.code !== 'EIO') {
			throw error;
		}

		force('SIGPIPE', {quietly: true});
	};

	process.stdout.on('error', onStreamError);
	process.stderr.on('error', onStreamError);

	const listeners: Array<[NodeJS.Signals, () => void]> = [
		['SIGINT', () => {
			onSignal('SIGINT');
		}],
		['SIGTERM', () => {
			onSignal('SIGTERM');
		}],
		['SIGHUP', () => {
			force('SIGHUP', {quietly: true});
		}],
	];

	function stopListening() {
		for (const [signal, listener] of listeners) {
			process.off(signal, listener);
		}
	}

	for (const [signal, listener] of listeners) {
		process.on(signal, listener);
	}

	const connection = events$.connect();
}

await main();
