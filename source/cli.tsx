#!/usr/bin/env node
import {randomUUID} from 'node:crypto';
import meow from 'meow';
import {ReplaySubject, connectable} from 'rxjs';
import {dockerEngine} from './engine/docker.js';
import {BaleenError} from './errors.js';
import {unknownFlags} from './flags.js';
import type {CancelSignal} from './events.js';
import {projectLines, resolveOptions} from './config/resolve.js';
import type {RunOptions} from './options.js';
import {pickMode, reportersFor} from './reporters/mode.js';
import {startReporters} from './reporters/reporter.js';
import {run} from './run/run.js';
import {stopSignals, terminate} from './terminate.js';

const flags = {
	image: {type: 'string', shortFlag: 'i'},
	command: {type: 'string', shortFlag: 'c'},
	concurrency: {type: 'string', shortFlag: 'j'},
	workdir: {type: 'string', shortFlag: 'w'},
	before: {type: 'string'},
	env: {type: 'string', shortFlag: 'e', isMultiple: true},
	mount: {type: 'string', shortFlag: 'm', isMultiple: true},
	timeout: {type: 'string'},
	json: {type: 'boolean', default: false},
	findInImage: {type: 'boolean'},
	build: {type: 'string'},
	config: {type: 'string'},
	project: {type: 'string', shortFlag: 'p'},
	listProjects: {type: 'boolean', default: false},
	quiet: {type: 'boolean', shortFlag: 'q', default: false},
} as const;

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
	  --find-in-image    Match the patterns inside a throwaway container of IMAGE, in --workdir,
	                     for suites that live only in the image (--no-find-in-image: on the host)
	  --build DIR        Build DIR (its Dockerfile, honouring .dockerignore) and tag it as --image
	                     before the run; a failed build exits 2 with the build's own error
	  --quiet, -q        Nothing on stderr but errors: with stdout piped, no view or log lines there

	Config file
	  --config FILE      Settings and projects from FILE (default: the nearest baleen.yml,
	                     baleen.yaml or baleen.config.json here or in a folder above)
	  --project, -p      Run the project NAME of the config file; flags given as well override it
	  --list-projects    List the config file's projects and exit

	  The keys are the long flag names; top-level keys are defaults for every run and project,
	  relative paths are taken from the file's folder; env and mount merge by name and
	  container path, and patterns given later replace earlier ones:
	    concurrency: 4
	    projects:
	      cart:
	        image: cart-tests
	        workdir: /suite
	        command: node node_modules/.bin/cucumber-js {file}
	        patterns: [features/**/*.feature]
	        find-in-image: true
	        build: .

	Output
	  On a terminal, a live view: finished files, a row per running container, a progress bar with
	  the time left, then the summary and the output of each file that failed. With stdout piped,
	  JSON lines (one event each) go to stdout and the view to stderr if it is a terminal, else a
	  plain line per finished file and the summary. NO_COLOR and FORCE_COLOR are honoured.

	Exit codes
	  0 every file passed · 1 a file failed, timed out or errored · 2 bad usage or environment
	  130 cancelled by Ctrl-C (SIGINT) · 143 cancelled by SIGTERM · 129 the terminal closed (SIGHUP)
	  141 stdout's reader went away (| head); in every case the run's containers are removed

	The engine is the local Docker socket unless DOCKER_HOST names another.

	Examples
	  $ baleen 'test/**/*.sh' -i my-tests -c 'sh {file}'
	  $ baleen 'spec/**/*_spec.rb' -i app-tests -c 'bundle exec rspec {file}' -j 8 --timeout 300
	  $ baleen 'features/*.feature' -i cart -m .:/work -w /work -c 'npx cucumber-js {file}' --json | jq .
	  $ baleen 'features/**/*.feature' -i cart --find-in-image -w /suite -c 'cucumber-js {file}'
	  $ baleen --build . -i cart:ci 'features/**/*.feature' -m .:/work -w /work -c 'cucumber-js {file}'
	  $ baleen --list-projects
	  $ baleen --project cart -j 2 features/checkout.feature
	  $ baleen --config ci/baleen.yml --project cart
	  $ baleen 'test/*.sh' -i my-tests -c 'sh {file}' --quiet > events.jsonl   # in CI: JSON only, no log
`, {
	importMeta: import.meta,
	allowUnknownFlags: true,
	flags,
});

function fail(message: string, exitCode: number): void {
	process.stderr.write(`baleen: ${message}\n`);
	process.exitCode = exitCode;
}

/** The config file's defaults and project, overridden by the flags given. */
function options(): RunOptions {
	const [unknown] = unknownFlags(cli.unnormalizedFlags, flags);
	if (unknown) {
		throw new BaleenError(`unknown flag ${unknown}; see baleen --help`);
	}

	// Meow reports an absent boolean as false; only a given --find-in-image or --no-find-in-image overrides the file.
	const findInImage = process.argv.some(argument => /^--(no-)?find-in-image(=|$)/.test(argument)) ? cli.flags.findInImage : undefined;
	const {options} = resolveOptions(cli.input, {...cli.flags, findInImage});
	return {...options, runId: randomUUID().slice(0, 8)};
}

async function main(): Promise<void> {
	let runOptions: RunOptions;
	try {
		if (cli.flags.listProjects) {
			process.stdout.write(`${projectLines(cli.flags).join('\n')}\n`);
			return;
		}

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
	// One run, shared by every reporter; it starts once they have all subscribed.
	const events$ = connectable(run(runOptions, {engine, cancel$}));
	const reporting = await startReporters(reportersFor(mode, process), events$, {cancel$});

	const stopping = terminate(stopSignals(), {
		forceCleanup: async () => engine.removeLabelled({'baleen.run': runOptions.runId!}),
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

	events$.subscribe({
		next(event) {
			if (event.type === 'run-end') {
				process.exitCode = event.exitCode;
			}
		},
		error(error: unknown) {
			stopListening();
			// After the view has let go of the terminal, so that the message stays readable.
			void reporting.closed.then(() => {
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

	const connection = events$.connect();
}

await main();
