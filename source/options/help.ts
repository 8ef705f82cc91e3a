import {presetLines} from '../frameworks/help.js';
import type {Flag} from './declaration.js';
import {flagDeclarations} from './table.js';

const flagColumn = 21;

/** `--image, -i`, `--project, -p NAME`: the flag as the help and the readme name it. */
export function flagName({name, short, value}: Pick<Flag, 'name' | 'short' | 'value'>): string {
	return `--${name}${short ? `, -${short}` : ''}${value ? ` ${value}` : ''}`;
}

/** A section's lines: the flag, then its words in a column, continuation lines under them; `preface` goes first. */
function section(title: Flag['section'], preface: readonly string[] = []): string {
	const lines = flagDeclarations.filter(declaration => declaration.section === title).flatMap(declaration => {
		const [first = '', ...rest] = declaration.help.split('\n');
		const flag = flagName(declaration);
		const gap = Math.max(2, flagColumn - flag.length);
		return [`  ${flag}${' '.repeat(gap)}${first}`, ...rest.map(line => `  ${' '.repeat(flag.length + gap)}${line}`)];
	});
	return [title, ...preface, ...lines].join('\n');
}

/** `baleen --help`: the options come from the table, so they cannot drift from what the parser takes. */
/** What `baleen repro` does, as the Commands section and its own help tell it. */
const reproLines = [
	'                       Run FILE again as the last run did (its image by id, command, env,',
	'                       mounts, limits, workdir) in a fresh container on this terminal, and',
	'                       exit with its exit code; --shell: a shell in that container instead',
];

/** `baleen repro --help`. */
export const reproHelp = `
  Usage
    $ baleen repro FILE [--shell]

${reproLines.map(line => line.replace(/^ {19}/, '')).join('\n')}
    (the last run's files and their specs: .baleen/last-run-specs.json beside the timings file)

`;

export const helpText = `
Usage
  $ baleen FRAMEWORK [patterns…] --image IMAGE [options] [-- framework arguments…]
  $ baleen [patterns…] --image IMAGE --command 'COMMAND {file}' [options]

Runs every test file matched by the patterns (globs or paths, relative to the current
directory; a leading ! excludes) in a fresh container of IMAGE, several at once, and reports
each file's result; with a framework's preset, each test's too.

Frameworks (baleen FRAMEWORK --help: what its preset sets)
${presetLines().join('\n')}

${section('Options')}

${section('Config file')}

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

${section('Commands', [
	'  baleen clean         Remove what earlier runs left on the engine: containers whose baleen',
	'                       has ended (kill -9, a crash) or that are past their deadline, and',
	'                       images of an earlier --build that no tag points at any more, and',
	'                       the images --keep-failed kept (a run\'s start: those a day old)',
	'  baleen repro FILE [--shell]',
	...reproLines,
	'  baleen timings merge [FILE…]',
	'                       Fold what sharded runs recorded (each shard-I-of-N.json beside the',
	'                       timings file, or the FILEs given) into the timings and last-run',
	'                       files, and remove those records',
	'  baleen report DIR|FILE… --output-dir OUT [--junit FILE]',
	'                       Merge the output folders (or events.jsonl) of several runs, the',
	'                       shards of a pipeline or re-runs, into one report in OUT (new or',
	'                       empty): report.html, events.jsonl, junit.xml; a file two shards ran',
	'                       or none did is named; exits as the merged run would',
	'  baleen report --queue URL [--junit FILE] [--output-dir OUT] [--queue-wait SECONDS]',
	'                       Wait until the shared queue is drained (no file pending or running),',
	'                       then report its whole run: each file\'s result once, the summary,',
	'                       and the pipeline\'s exit code',
])}

Output
  On a terminal, a live view: finished files, a row per running container, a progress bar with
  the time left, then the summary and the output of each file that failed. With stdout piped,
  JSON lines (one event each) go to stdout, and stderr gets a log that only appends (a line per
  finished file, a progress line now and then, the summary): on a terminal it never redraws over
  what the reader of stdout (jq) writes there. NO_COLOR and FORCE_COLOR are honoured.

Exit codes
  0 every file passed · 1 a file failed, timed out or errored · 2 bad usage or environment
  130 cancelled by Ctrl-C (SIGINT) · 143 cancelled by SIGTERM · 129 the terminal closed (SIGHUP)
  141 stdout's reader went away (| head); in every case the run's containers are removed

The engine is the local Docker socket unless DOCKER_HOST names another.

Examples
  $ baleen cucumber --image my-test-runner --files features/
  $ baleen pytest tests/ -i py-tests -m .:/src -w /src -- -x -q
  $ baleen 'test/**/*.sh' -i my-tests -c 'sh {file}'
  $ baleen 'spec/**/*_spec.rb' '!spec/slow/**' -i app-tests -c 'bundle exec rspec {file}' -j 8 --timeout 300
  $ baleen 'features/*.feature' -i cart -m .:/work -w /work -c 'cucumber-js {file}' --json | jq .
  $ baleen 'features/**/*.feature' -i cart --find-in-image -w /suite -c 'cucumber-js {file}'
  $ baleen --build . -i cart:ci 'features/**/*.feature' -m .:/work -w /work -c 'cucumber-js {file}'
  $ baleen 'test/*.js' -i api-tests --network mynet -c 'node --test {file}'   # reach the db on mynet by name
  $ baleen --list-projects
  $ baleen --project cart -j 2 features/checkout.feature
  $ baleen --config ci/baleen.yml --project cart
  $ baleen 'test/*.sh' -i my-tests -c 'sh {file}' --quiet > events.jsonl   # in CI: JSON only, no log
  $ baleen 'test/*.sh' -i my-tests -c 'sh {file}' --queue "redis://:$REDIS_PASSWORD@cache:6379/run-$CI_PIPELINE_ID"   # every job
  $ baleen report --queue "redis://:$REDIS_PASSWORD@cache:6379/run-$CI_PIPELINE_ID" --junit junit.xml   # the last job
`;
