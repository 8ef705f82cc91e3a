import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {configFor, findConfig, loadConfig} from '../../source/config/load.js';
import {commandLine} from '../../source/options/argv.js';
import {projectLines, resolveOptions} from '../../source/options/resolve.js';
import {BaleenError} from '../../source/errors.js';
import {folder} from '../helpers/folder.js';

/** A fresh folder holding the given files (name → text). */

function failure(action: () => unknown): string {
	try {
		action();
	} catch (error) {
		assert.ok(error instanceof BaleenError, `expected a BaleenError, got ${String(error)}`);
		assert.ok(!error.message.includes('\n'), `one line expected: ${error.message}`);
		return error.message;
	}

	assert.fail('expected a BaleenError');
}

const cartYaml = `
concurrency: 4            # defaults for every project
timeout: 120s
env: [CI=true, LANG=C]
projects:
  cart:
    image: cart-tests
    workdir: /suite
    command: node_modules/.bin/cucumber-js {file}
    patterns: [features/**/*.feature]
    find-in-image: true
    env: {LANG: C.UTF-8, RETRIES: 2}
  shell:
    image: baleen-test-shell
    command: sh {file}
    patterns: '*.sh'
    mount: [.:/w, data:/data:ro]
    build: docker
`;

describe('finding the config file', () => {
	test('is looked up from the current folder upward', () => {
		const root = folder({'baleen.yml': 'concurrency: 2\n', 'a/b/c/.keep': ''});
		assert.equal(findConfig(path.join(root, 'a/b/c')), path.join(root, 'baleen.yml'));
		assert.equal(findConfig(path.join(root, 'a/b/c')), findConfig(root));
	});

	test('the nearest one wins, and baleen.config.json is accepted', () => {
		const root = folder({'baleen.yml': '', 'a/baleen.config.json': '{}'});
		assert.equal(findConfig(path.join(root, 'a')), path.join(root, 'a/baleen.config.json'));
	});

	test('two in one folder is an error, not a silent pick', () => {
		const root = folder({'baleen.yml': '', 'baleen.config.json': '{}'});
		assert.match(failure(() => findConfig(root)), /baleen\.yml and baleen\.config\.json are both in .*; keep one/);
	});

	test('none is fine until a project is asked for', () => {
		const root = folder({});
		// A fresh folder under the temporary directory: nothing above it is expected to hold a config either.
		assert.equal(findConfig(root), undefined);
		assert.equal(configFor({}, root), undefined);
		assert.match(failure(() => configFor({project: 'cart'}, root)), /--project cart needs a config file, but there is no baleen\.yml/);
	});
});

describe('a project from the file', () => {
	test('takes the defaults, then the project', () => {
		const root = folder({'baleen.yml': cartYaml});
		const {options: {runId, ...options}} = resolveOptions([], {project: 'cart'}, root);
		assert.match(runId, /^[\da-f]{8}$/);
		assert.deepEqual(options, {
			resolved: true,
			patterns: ['features/**/*.feature'],
			cwd: root,
			image: 'cart-tests',
			command: 'node_modules/.bin/cucumber-js {file}',
			concurrency: 4,
			workdir: '/suite',
			env: ['CI=true', 'LANG=C.UTF-8', 'RETRIES=2'],
			mounts: [],
			timeoutSeconds: 120,
			findInImage: true,
			freshNetwork: false,
			isolate: 'file',
			keepFailed: false,
			retries: 0,
			split: 'auto',
			failOnFlaky: false,
			engineWaitSeconds: 60,
			swarm: false,
			backend: 'docker',
			exclude: [],
			lastFailed: false,
			queueLeaseSeconds: 15,
			queueRetry: false,
			history: {timings: path.join(root, '.baleen/timings.json'), lastRun: path.join(root, '.baleen/last-run.json'), project: 'cart'},
		});
	});

	test('takes relative paths (mount sources, build, patterns) from the file\'s folder, wherever baleen runs', () => {
		const root = folder({'baleen.yml': cartYaml, 'data/.keep': '', 'deep/er/.keep': ''});
		const {options, config} = resolveOptions([], {project: 'shell'}, path.join(root, 'deep/er'));
		assert.equal(config?.file, path.join(root, 'baleen.yml'));
		assert.equal(options.cwd, root);
		assert.deepEqual(options.patterns, ['*.sh']);
		assert.deepEqual(options.mounts, [`${root}:/w`, `${root}/data:/data:ro`]);
		assert.equal(options.build, path.join(root, 'docker'));
	});

	test('flags override the file: scalars replace, patterns replace, env and mount merge by name and container path', () => {
		const root = folder({'baleen.yml': cartYaml, 'data/.keep': '', 'other/.keep': '', 'sub/x.sh': ''});
		const cwd = path.join(root, 'sub');
		const {options} = resolveOptions(['x.sh'], {
			project: 'shell',
			image: 'other-image',
			concurrency: '1',
			timeout: '5',
			env: ['LANG=fr_FR', 'EXTRA=1'],
			mount: ['../other:/data'],
			findInImage: false,
			build: '.',
		}, cwd);
		assert.equal(options.image, 'other-image');
		assert.equal(options.command, 'sh {file}');
		assert.equal(options.concurrency, 1);
		assert.equal(options.timeoutSeconds, 5);
		assert.equal(options.findInImage, false);
		assert.equal(options.build, cwd);
		// Patterns from the command line are taken from where baleen runs.
		assert.deepEqual(options.patterns, ['x.sh']);
		assert.equal(options.cwd, cwd);
		assert.deepEqual(options.env, ['CI=true', 'LANG=fr_FR', 'EXTRA=1']);
		assert.deepEqual(options.mounts, [`${root}:/w`, `${root}/other:/data`]);
	});

	test('the top-level defaults apply to a run without a project', () => {
		const root = folder({'baleen.yml': 'concurrency: 3\nimage: base\n'});
		const {options} = resolveOptions(['*.sh'], {command: 'sh {file}'}, root);
		assert.equal(options.concurrency, 3);
		assert.equal(options.image, 'base');
	});

	test('--config names the file, JSON included', () => {
		const root = folder({'ci/settings.json': JSON.stringify({projects: {unit: {image: 'node-tests', command: 'node --test {file}', patterns: ['test/*.js']}}})});
		const {options} = resolveOptions([], {config: 'ci/settings.json', project: 'unit'}, root);
		assert.equal(options.image, 'node-tests');
		assert.equal(options.cwd, path.join(root, 'ci'));
	});

	test('a run without --project in a file with projects and no image says which projects there are', () => {
		const root = folder({'baleen.yml': cartYaml});
		assert.match(failure(() => resolveOptions([], {}, root)), /pick a project of baleen\.yml with --project NAME \(cart, shell\), or give --image/);
	});

	test('an unknown project names the ones there are', () => {
		const root = folder({'baleen.yml': cartYaml});
		assert.equal(failure(() => resolveOptions([], {project: 'kart'}, root)), 'no project "kart" in baleen.yml; it has cart, shell');
		// A name that is a property of every object is no project either.
		assert.match(failure(() => resolveOptions([], {project: 'constructor'}, root)), /no project "constructor"/);
	});

	test('--list-projects shows each project with its image and patterns', () => {
		const root = folder({'baleen.yml': cartYaml});
		assert.deepEqual(projectLines({}, root), [
			'Projects in baleen.yml:',
			'  cart   cart-tests · features/**/*.feature (in the image)',
			'  shell  baleen-test-shell · *.sh · built from docker',
		]);
		assert.match(failure(() => projectLines({}, folder({}))), /--list-projects found no baleen\.yml/);
	});

	test('an empty file is an empty config', () => {
		const root = folder({'baleen.yml': '# nothing yet\n'});
		assert.deepEqual(loadConfig('baleen.yml', root).projects, {});
	});
});

describe('an invalid file is one precise line: file, position, key path, what was expected, what was found', () => {
	const cases: Array<[string, Record<string, string>, string | RegExp]> = [
		['YAML that does not parse', {'baleen.yml': 'projects:\n  cart:\n    image: [a\n'}, /^baleen\.yml:\d+:\d+: not valid YAML: /],
		['a key twice', {'baleen.yml': 'image: a\nimage: b\n'}, /^baleen\.yml:2:1: not valid YAML: Map keys must be unique/],
		['JSON that does not parse', {'baleen.config.json': '{\n  "image": "a",\n}\n'}, /^baleen\.config\.json(:\d+:\d+)?: not valid JSON: /],
		['a value of the wrong type', {'baleen.yml': 'projects:\n  cart:\n    concurrency: four\n'}, 'baleen.yml:3:18: projects.cart.concurrency: expected a whole number of at least 1, found "four"'],
		['a number out of range', {'baleen.yml': 'concurrency: 0\n'}, 'baleen.yml:1:14: concurrency: expected a whole number of at least 1, found 0'],
		['an unknown key', {'baleen.yml': 'projects:\n  cart:\n    mounts: [.:/w]\n'}, /^baleen\.yml:3:5: projects\.cart\.mounts: unknown key \(did you mean "mount"\?\); expected one of image, command, patterns, /],
		['a list where text belongs', {'baleen.yml': 'image: [a, b]\n'}, 'baleen.yml:1:8: image: expected an image name, found a list (["a","b"])'],
		['a wrong item in a list', {'baleen.yml': 'env: [CI=1, "1BAD=x"]\n'}, 'baleen.yml:1:13: env[1]: expected KEY=VALUE or KEY, found "1BAD=x"'],
		['a relative workdir', {'baleen.yml': 'workdir: suite\n'}, 'baleen.yml:1:10: workdir: expected an absolute path in the container, found "suite"'],
		['a results format baleen does not read', {'baleen.yml': 'results-format: xunit\n'}, 'baleen.yml:1:17: results-format: expected junit, jest-json, rspec-json or go-json (did you mean junit?), found "xunit"'],
		['a bad project name', {'baleen.yml': 'projects:\n  "my cart":\n    image: a\n'}, /^baleen\.yml:2:3: projects\."my cart": expected a project name .*found "my cart"/],
		['a project that is not a map', {'baleen.yml': 'projects:\n  cart: cart-tests\n'}, /^baleen\.yml:2:9: projects\.cart: .*found "cart-tests"/],
		['a file that is not a map', {'baleen.yml': '- image: a\n'}, /^baleen\.yml: expected a map of settings \(image, command, …\) and projects, found a list/],
		['an empty key', {'baleen.yml': 'projects:\n  cart:\n    image:\n'}, 'baleen.yml:3:11: projects.cart.image: expected an image name, found an empty value'],
		['a mount source that does not exist', {'baleen.yml': 'projects:\n  cart:\n    mount: [nowhere:/w]\n'}, /^baleen\.yml: projects\.cart\.mount: --mount source "nowhere" does not exist/],
		['a missing --config file', {}, /^cannot read the config file missing\.yml: there is no such file$/],
	];

	for (const [name, files, expected] of cases) {
		test(name, () => {
			const root = folder(files);
			const config = Object.keys(files)[0] ?? 'missing.yml';
			const message = failure(() => resolveOptions([], {config, project: 'cart'}, root));
			if (typeof expected === 'string') {
				assert.equal(message, expected);
			} else {
				assert.match(message, expected);
			}
		});
	}

	test('more than one problem: the first is told, the rest counted', () => {
		const root = folder({'baleen.yml': 'image: 1\ncommand: 2\nworkdir: 3\n'});
		assert.equal(failure(() => loadConfig('baleen.yml', root)), 'baleen.yml:1:8: image: expected an image name, found 1 (and 2 more problems)');
	});
});

describe('the command line over the file', () => {
	const findYaml = 'projects:\n  cart:\n    image: cart-tests\n    command: cucumber-js {file}\n    patterns: [features/**/*.feature]\n    find-in-image: true\n';

	test('--no-find-in-image overrides a project\'s find-in-image: true; leaving it out does not', () => {
		const root = folder({'baleen.yml': findYaml});
		const resolved = (argv: string[]) => {
			const {input, flags} = commandLine(argv);
			return resolveOptions(input, flags, root).options;
		};

		assert.equal(resolved(['--project', 'cart', '--no-find-in-image']).findInImage, false);
		assert.equal(resolved(['--project', 'cart']).findInImage, true);
		assert.equal(resolved(['--project', 'cart', '--find-in-image']).findInImage, true);
	});

	test('a host value named by env is read once, and a later layer overriding it is never asked for the unset one', () => {
		const root = folder({'baleen.yml': 'env: [BALEEN_TEST_SURELY_UNSET]\nimage: a\ncommand: b\n'});
		const {options} = resolveOptions(['*.sh'], {env: ['BALEEN_TEST_SURELY_UNSET=given']}, root);
		assert.deepEqual(options.env, ['BALEEN_TEST_SURELY_UNSET=given']);
		assert.match(failure(() => resolveOptions(['*.sh'], {}, root)), /^baleen\.yml: env: .*BALEEN_TEST_SURELY_UNSET is not set here/);
	});
});

describe('results, output dir and artifacts in the file', () => {
	test('take the keys of their flags; the output dir from the file\'s folder, the container paths as written', () => {
		const root = folder({'baleen.yml': 'image: x\ncommand: sh {file}\nresults: /tmp/junit.xml\noutput-dir: ci/out\nartifacts: [/tmp/shots, coverage]\n'});
		const {options} = resolveOptions([], {}, path.join(root));
		assert.deepEqual([options.results, options.outputDir, options.artifacts], ['/tmp/junit.xml', path.join(root, 'ci/out'), ['/tmp/shots', 'coverage']]);
	});

	test('artifacts with nowhere to go is one line', () => {
		const root = folder({'baleen.yml': 'image: x\ncommand: sh {file}\nartifacts: coverage\n'});
		assert.throws(() => resolveOptions([], {}, root), {message: '--artifacts needs --output-dir DIR to copy them into'});
	});
});
