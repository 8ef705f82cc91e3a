import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {settingsShape} from '../../source/config/schema.js';
import {BaleenError} from '../../source/errors.js';
import {checkFlags, commandLine} from '../../source/options/argv.js';
import {flagName, helpText} from '../../source/options/help.js';
import {resolveOptions} from '../../source/options/resolve.js';
import {flagDeclarations, settings} from '../../source/options/table.js';
import {folder} from '../helpers/folder.js';

const readme = readFileSync(new URL('../../readme.md', import.meta.url), 'utf8');

test('--help lists every flag of the table with its words, and no other', () => {
	const listed = helpText.split('\n').filter(line => /^ {2}--/.test(line)).map(line => line.trim().split(/\s{2,}/));
	assert.deepEqual(listed.map(([flag]) => flag), flagDeclarations.map(declaration => flagName(declaration)));
	assert.deepEqual(listed.map(([, words]) => words), flagDeclarations.map(declaration => declaration.help.split('\n')[0]));
});

test('the readme\'s option table names every flag of the table, and no other', () => {
	const table = readme.slice(readme.indexOf('| option | meaning | default |'));
	const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2).map(line => /^\| `([^`]+)`/.exec(line)?.[1]);
	assert.deepEqual(rows, flagDeclarations.map(declaration => flagName(declaration)));
});

test('baleen.yml takes the options that have a config schema, by their flag name', () => {
	assert.deepEqual(Object.keys(settingsShape), settings.filter(({setting}) => setting.inConfig !== false).map(({setting}) => setting.configName ?? setting.name));
	assert.ok(Object.keys(settingsShape).includes('patterns'));
	assert.ok(!Object.keys(settingsShape).includes('quiet'), 'output flags steer the CLI, not a project');
});

test('every option that sets a run option reaches the resolved options from the command line', () => {
	const root = folder({'data/.keep': '', 'ctx/Dockerfile': 'FROM scratch\n', 'ci/quarantine.yml': '- file: slow.sh\n  reason: slow\n  owner: "@ops"\n'});
	const samples: Record<string, string[]> = {
		image: ['--image', 'img'],
		command: ['-c', 'sh {file}'],
		patterns: ['x.sh'],
		concurrency: ['-j', '3'],
		workdir: ['-w', '/w'],
		before: ['--before', 'cd /'],
		env: ['-e', 'A=1', '-e', 'B=2'],
		mount: ['-m', 'data:/data:ro'],
		timeout: ['--timeout', '7s'],
		network: ['--network', 'none'],
		isolate: ['--isolate', 'slot'],
		'isolate-reuse': ['--isolate-reuse', '3'],
		'fresh-network': ['--fresh-network'],
		'keep-failed': ['--keep-failed'],
		memory: ['--memory', '1.5g'],
		junit: ['--junit', 'out/junit.xml'],
		html: ['--html', 'out/report.html'],
		cpus: ['--cpus', '0.5'],
		'pids-limit': ['--pids-limit', '64'],
		retries: ['--retries', '2'],
		split: ['--split', '90'],
		'fail-on-flaky': ['--fail-on-flaky'],
		// Alone, before another flag: it means 1.
		bail: ['--bail'],
		'engine-wait': ['--engine-wait', '90'],
		'find-in-image': ['--find-in-image'],
		build: ['--build', 'ctx'],
		exclude: ['--exclude', 'slow/**', '--exclude', 'x.skip.sh'],
		shard: ['--shard', '2/4'],
		queue: ['--queue', 'rediss://me:pw@cache:6380/run-1'],
		'queue-lease': ['--queue-lease', '5'],
		'queue-job': ['--queue-job', 'job-2'],
		'queue-retry': ['--queue-retry'],
		'last-failed': ['--last-failed'],
		timings: ['--timings', 'ci/timings.json'],
		quarantine: ['--quarantine', 'ci/quarantine.yml'],
		// Its synonym as well: the two agree.
		swarm: ['--swarm'],
		backend: ['--backend', 'swarm'],
		results: ['--results', '/tmp/junit.xml'],
		'results-format': ['--results-format', 'jest-json'],
		'output-dir': ['--output-dir', 'out/all'],
		artifacts: ['--artifacts', 'coverage', '--artifacts', '/tmp/shots'],
		engine: ['--engine', 'unix:///tmp/a.sock=2', '--engine', 'remote'],
		framework: ['--framework', 'pytest'],
		// Last: everything after -- goes to the framework.
		args: ['--', '-x', '--tb=short'],
	};
	assert.deepEqual(Object.keys(samples).sort(), settings.map(({setting}) => setting.name).sort(), 'a sample for every option that sets a run option');
	// Two that cannot go with others of the samples (--isolate slot, --queue) are resolved on a line of their own.
	const apart = ['fresh-network', 'shard'];
	const line = (names: string[]) => {
		const {input, flags} = commandLine(names.flatMap(name => samples[name]!));
		return resolveOptions(input, flags, root).options;
	};

	const options = line(Object.keys(samples).filter(name => !apart.includes(name)));
	const {freshNetwork, shard, history} = line(['image', 'command', ...apart, 'timings']);
	assert.deepEqual({freshNetwork, shard, history}, {
		freshNetwork: true,
		shard: {index: 2, count: 4},
		history: {timings: `${root}/ci/timings.json`, lastRun: `${root}/ci/last-run.json`, project: 'default', shardRecord: `${root}/ci/shard-2-of-4.json`},
	});
	assert.deepEqual(
		{...options, runId: 'any'},
		{
			resolved: true,
			cwd: root,
			image: 'img',
			command: 'sh {file}',
			patterns: ['x.sh'],
			concurrency: 3,
			workdir: '/w',
			before: 'cd /',
			env: ['A=1', 'B=2'],
			mounts: [`${root}/data:/data:ro`],
			timeoutSeconds: 7,
			network: 'none',
			isolate: 'slot',
			isolateReuse: 3,
			freshNetwork: false,
			keepFailed: true,
			memory: 1.5 * 1024 ** 3,
			cpus: 0.5,
			pidsLimit: 64,
			junit: `${root}/out/junit.xml`,
			html: `${root}/out/report.html`,
			retries: 2,
			split: {aboveMs: 90_000},
			failOnFlaky: true,
			bail: 1,
			engines: [{host: 'unix:///tmp/a.sock', slots: 2}, {context: 'remote'}],
			engineWaitSeconds: 90,
			findInImage: true,
			build: `${root}/ctx`,
			exclude: ['slow/**', 'x.skip.sh'],
			queue: {host: 'cache', port: 6380, tls: true, username: 'me', password: 'pw', name: 'run-1', shown: 'rediss://me:***@cache:6380/run-1'},
			queueLeaseSeconds: 5,
			queueJob: 'job-2',
			queueRetry: true,
			lastFailed: true,
			timings: `${root}/ci/timings.json`,
			history: {timings: `${root}/ci/timings.json`, lastRun: `${root}/ci/last-run.json`, project: 'default'},
			quarantine: `${root}/ci/quarantine.yml`,
			quarantineList: {file: 'ci/quarantine.yml', entries: [{file: 'slow.sh', reason: 'slow', owner: '@ops'}]},
			swarm: true,
			backend: 'swarm',
			results: '/tmp/junit.xml',
			resultsFormat: 'jest-json',
			outputDir: `${root}/out/all`,
			artifacts: ['coverage', '/tmp/shots'],
			framework: 'pytest',
			args: ['-x', '--tb=short'],
			runId: 'any',
		},
	);
});

test('an unknown flag says which one it most likely means', () => {
	const message = (given: Record<string, unknown>) => {
		try {
			checkFlags(given);
		} catch (error) {
			assert.ok(error instanceof BaleenError);
			return error.message;
		}

		return 'no error';
	};

	assert.equal(message({concurency: '4'}), 'unknown flag --concurency (did you mean --concurrency?); see baleen --help');
	assert.equal(message({'find-in-imag': true, findInImag: true}), 'unknown flag --find-in-imag (did you mean --find-in-image?); see baleen --help');
	assert.equal(message({frobnicate: true}), 'unknown flag --frobnicate; see baleen --help');
	assert.equal(message({image: 'x', i: 'x'}), 'no error');
});

test('options that cannot go together are refused as they are resolved, naming both, before anything runs', () => {
	const root = folder({});
	const refusal = (...given: string[]) => {
		const {input, flags} = commandLine(['-i', 'img', '-c', 'sh {file}', ...given]);
		try {
			resolveOptions(input, flags, root);
		} catch (error) {
			assert.ok(error instanceof BaleenError);
			return error.message;
		}

		return 'no error';
	};

	assert.equal(refusal('--artifacts', '/tmp/shots'), '--artifacts needs --output-dir DIR to copy them into');
	assert.match(refusal('--isolate', 'slot', '--fresh-network'), /^--isolate slot and --fresh-network: /);
	assert.match(refusal('--isolate-reuse', '3'), /^--isolate-reuse needs --isolate slot: /);
	assert.match(refusal('--queue', 'redis://cache:6379/q', '--shard', '1/2'), /^--queue and --shard do not go together: /);
	assert.equal(refusal('--isolate', 'slot', '--isolate-reuse', '3', '--artifacts', '/tmp/shots', '--output-dir', 'out'), 'no error');
});
