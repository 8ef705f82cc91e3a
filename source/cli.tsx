#!/usr/bin/env node
import {randomUUID} from 'node:crypto';
import meow from 'meow';
import {ReplaySubject, connectable} from 'rxjs';
import {dockerEngine} from './engine/docker.js';
import {BaleenError} from './errors.js';
import type {CancelSignal} from './events.js';
import {parseConcurrency, parseTimeout, type RunOptions} from './options.js';
import {pickMode, startOutput} from './output.js';
import {run} from './run/run.js';

const cli = meow(`
	Usage
	  $ baleen [patterns…] --image IMAGE --command 'COMMAND {file}' [options]

	Runs every test file matched by the patterns (globs or paths, relative to the current
	directory) in a fresh container of IMAGE, several at once, and reports each file's result.

	Options
	  --image, -i        Image to run each file in (required)
	  --command, -c      Command run by the image's /bin/sh; {file} stands for the test file's
	                     path, passed as data, never parsed by the shell (required)
	  --concurrency, -j  Containers at once (default: the engine's CPU count)
	  --workdir, -w      Working directory inside the container (default: the image's)
	  --before           Shell commands run first, in the same shell; if they fail, the file fails
	  --env, -e          KEY=VALUE set in every container, or KEY to pass the host's value (repeatable)
	  --mount, -m        SRC:DST[:ro] bind mount; a relative SRC is taken from here (repeatable)
	  --timeout          Seconds a file may run before it is killed as timed out (default: 600)
	  --json             JSON lines on stdout even on a terminal (the default when stdout is not one)
	  --quiet, -q        Nothing on stderr but errors: with stdout piped, no view or log lines there

	Output
	  On a terminal, a live view: finished files, a row per running container, a progress bar with
	  the time left, then the summary and the output of each file that failed. With stdout piped,
	  JSON lines (one event each) go to stdout and the view to stderr if it is a terminal, else a
	  plain line per finished file and the summary. NO_COLOR and FORCE_COLOR are honoured.

	Exit codes
	  0 every file passed · 1 a file failed, timed out or errored · 2 bad usage or environment
	  130 cancelled by Ctrl-C (SIGINT) · 143 cancelled by SIGTERM

	The engine is the local Docker socket unless DOCKER_HOST names another.

	Examples
	  $ baleen 'test/**/*.sh' -i my-tests -c 'sh {file}'
	  $ baleen 'spec/**/*_spec.rb' -i app-tests -c 'bundle exec rspec {file}' -j 8 --timeout 300
	  $ baleen 'features/*.feature' -i cart -m .:/work -w /work -c 'npx cucumber-js {file}' --json | jq .
	  $ baleen 'test/*.sh' -i my-tests -c 'sh {file}' --quiet > events.jsonl   # in CI: JSON only, no log
`, {
	importMeta: import.meta,
	allowUnknownFlags: false,
	flags: {
		image: {type: 'string', shortFlag: 'i'},
		command: {type: 'string', shortFlag: 'c'},
		concurrency: {type: 'string', shortFlag: 'j'},
		workdir: {type: 'string', shortFlag: 'w'},
		before: {type: 'string'},
		env: {type: 'string', shortFlag: 'e', isMultiple: true},
		mount: {type: 'string', shortFlag: 'm', isMultiple: true},
		timeout: {type: 'string'},
		json: {type: 'boolean', default: false},
		quiet: {type: 'boolean', shortFlag: 'q', default: false},
	},
});

function fail(message: string, exitCode: number): void {
	process.stderr.write(`baleen: ${message}\n`);
	process.exitCode = exitCode;
}

function options(): RunOptions {
	const {flags} = cli;
	return {
		patterns: cli.input,
		image: flags.image ?? '',
		command: flags.command ?? '',
		...(flags.concurrency !== undefined && {concurrency: parseConcurrency(flags.concurrency)}),
		...(flags.timeout !== undefined && {timeoutSeconds: parseTimeout(flags.timeout)}),
		workdir: flags.workdir,
		before: flags.before,
		env: flags.env,
		mounts: flags.mount,
		runId: randomUUID().slice(0, 8),
	};
}

async function main(): Promise<void> {
	let runOptions: RunOptions;
	try {
		runOptions = options();
	} catch (error) {
		fail((error as Error).message, 2);
		return;
	}

	const mode = pickMode({
		stdoutIsTTY: Boolean(process.stdout.isTTY),
		stderrIsTTY: Boolean(process.stderr.isTTY),
		json: cli.flags.json,
		quiet: cli.flags.quiet,
	});
	const engine = dockerEngine();
	const cancel$ = new ReplaySubject<CancelSignal>(1);
	// One run, shared by every consumer; it starts once they have all subscribed.
	const events$ = connectable(run(runOptions, {engine, cancel$}));
	const output = await startOutput(mode, events$, {cancel$});

	events$.subscribe({
		next(event) {
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
			return;
		}

		// The second signal: stop waiting, remove whatever of this run is still on the engine, and leave.
		connection.unsubscribe();
		output.forced();
		const code = signal === 'SIGINT' ? 130 : 143;
		engine.removeLabelled({'baleen.run': runOptions.runId!})
			.catch(() => 0)
			.finally(() => process.exit(code));
	}

	const onInterrupt = () => {
		onSignal('SIGINT');
	};

	const onTerminate = () => {
		onSignal('SIGTERM');
	};

	function stopListening() {
		process.off('SIGINT', onInterrupt);
		process.off('SIGTERM', onTerminate);
	}

	process.on('SIGINT', onInterrupt);
	process.on('SIGTERM', onTerminate);
	const connection = events$.connect();
}

await main();
