import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {containerCommand, shellName} from '../../source/command.js';
import {unmatched} from '../../source/discover/image.js';
import {commandSelecting, defaultPatterns} from '../../source/frameworks/framework.js';
import {presetHelp, presetLines} from '../../source/frameworks/help.js';
import {candidateWord, lookupScript, programWords} from '../../source/frameworks/lookup.js';
import {presetCommand, presetPatterns, suiteNotHere, withPreset} from '../../source/frameworks/preset.js';
import {frameworkNames, frameworks, pickFramework} from '../../source/frameworks/registry.js';
import {helpText} from '../../source/options/help.js';
import {hostileNames} from '../helpers/names.js';
import {folder} from '../helpers/folder.js';
import {refusal} from '../helpers/refusal.js';


describe('the registry of frameworks', () => {
	it('names each module by its own name, the eight of the original and more', () => {
		assert.deepEqual(frameworkNames, ['cucumber', 'mocha', 'jest', 'vitest', 'node', 'pytest', 'rspec', 'go']);
		for (const [name, framework] of Object.entries(frameworks)) {
			assert.equal(framework.name, name);
			assert.match(commandSelecting(framework), /\{program\}.*\{args\}.*\{file\}/s, `${name}: the arguments after -- go before the file`);
			assert.match(framework.command, /\{results\}/, `${name}: the command writes the report`);
			assert.match(framework.results.path, /^\/tmp\//);
		}
	});

	it('gives each preset its patterns, as its framework looks for its files', () => {
		assert.deepEqual(defaultPatterns(frameworks.cucumber), ['features/**/*.feature']);
		assert.deepEqual(defaultPatterns(frameworks.pytest), ['**/{test_*.py,*_test.py}']);
		assert.deepEqual(defaultPatterns(frameworks.rspec), ['spec/**/*_spec.rb']);
		assert.deepEqual(defaultPatterns(frameworks.jest), ['**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs}', '!**/node_modules/**']);
	});

	it('says which framework an unknown name most likely means', () => {
		assert.equal(pickFramework('go'), frameworks.go);
		assert.equal(refusal(() => pickFramework('cucmber')), 'unknown framework "cucmber" (did you mean cucumber?); the presets are cucumber, mocha, jest, vitest, node, pytest, rspec, go');
		assert.equal(refusal(() => pickFramework('junit')), 'unknown framework "junit"; the presets are cucumber, mocha, jest, vitest, node, pytest, rspec, go');
	});

	it('takes go\'s packages, not its files: each folder holding a test once', () => {
		assert.deepEqual(frameworks.go.units!(['b/c/y_test.go', 'a_test.go', 'b/c/x_test.go', 'b/z_test.go']), ['.', 'b', 'b/c']);
	});
});

describe('a preset\'s command', () => {
	it('fills in the program found, quoted where the shell would read it otherwise, and the report\'s path', () => {
		assert.equal(
			presetCommand(frameworks.cucumber, ['/usr/local/bin/node', '/suite/node_modules/.bin/cucumber-js'], '/tmp/baleen-results.xml'),
			'/usr/local/bin/node /suite/node_modules/.bin/cucumber-js --format junit:/tmp/baleen-results.xml {args} {file}',
		);
		assert.equal(presetCommand({command: '{program} --out {results} {file}'}, ['/my tests/$x', '-m', 'pytest'], '/tmp/it\'s.xml'), '\'/my tests/$x\' -m pytest --out \'/tmp/it\'\\\'\'s.xml\' {file}');
	});

	it('passes the arguments after -- as data, before the file in a preset\'s command, at the end of one\'s own', () => {
		const sh = (argv: string[]) => execFileSync(argv[0]!, argv.slice(1), {encoding: 'utf8'});
		assert.equal(sh(containerCommand('printf "<%s>" {args} {file}', 'a.sh', undefined, ['-x', '--tb=short'])), '<-x><--tb=short><a.sh>');
		assert.equal(sh(containerCommand('printf "<%s>"', 'a.sh', undefined, ['-x'])), '<a.sh><-x>');
		assert.equal(sh(containerCommand('printf "<%s>" {args} {file}', 'a.sh')), '<a.sh>');
		assert.equal(sh(containerCommand('printf "<%s>" {file}', 'a.sh', 'printf "[%s]" "$1"', ['-x'])), '[a.sh]<a.sh><-x>');
		for (const name of hostileNames) {
			assert.equal(sh(containerCommand('printf "<%s>" {args} {file}', 'f', undefined, [name])), `<${name}><f>`);
		}
	});

	it('keeps pytest\'s "no tests collected" (exit 5) from failing the file, and its other exits as they are', () => {
		const status = (code: number) => spawnSync('/bin/sh', ['-c', presetCommand(frameworks.pytest, ['sh', '-c', `exit ${code}`, 'pytest'], '/tmp/r.xml').replaceAll(' {args} {file}', ''), shellName]).status;
		assert.deepEqual([0, 1, 2, 5].map(code => status(code)), [0, 1, 2, 0]);
	});

	it('keeps go test\'s exit status across the pipe that shows its output', () => {
		const work = folder();
		const fakeGo = path.join(work, 'go');
		// A stand-in for go: `test` prints a verdict and exits as $GO_EXIT says; `tool test2json` copies what it reads.
		execFileSync('/bin/sh', ['-c', `printf '%s\\n' '#!/bin/sh' 'if [ "$1" = test ]; then echo "--- FAIL: TestX"; exit "$GO_EXIT"; fi' 'cat' > "$1"; chmod +x "$1"`, 'sh', fakeGo]);
		const command = presetCommand(frameworks.go, [fakeGo], path.join(work, 'report.json'));
		for (const code of [0, 1]) {
			const run = spawnSync('/bin/sh', containerCommand(command, 'pkg').slice(1), {encoding: 'utf8', env: {...process.env, GO_EXIT: String(code)}});
			assert.equal(run.status, code);
			assert.equal(run.stdout, '--- FAIL: TestX\n');
		}
	});
});

describe('a preset\'s patterns', () => {
	const root = folder({'features/a.feature': '', 'tests/test_a.py': '', 'notes.txt': ''});

	it('take a folder for the framework\'s files under it, as the original baleen\'s --files did', () => {
		assert.deepEqual(presetPatterns(frameworks.cucumber, ['features/', 'features', './features/'], root, false), ['features/**/*.feature', 'features/**/*.feature', 'features/**/*.feature']);
		assert.deepEqual(presetPatterns(frameworks.pytest, ['tests'], root, false), ['tests/**/{test_*.py,*_test.py}']);
		assert.deepEqual(presetPatterns(frameworks.node, ['.', './'], root, false), ['**/*.test.{js,mjs,cjs}', '!**/node_modules/**', '**/*.test.{js,mjs,cjs}', '!**/node_modules/**']);
		assert.deepEqual(presetPatterns(frameworks.jest, ['web/'], root, false), ['web/**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs}', '!web/**/node_modules/**']);
	});

	it('leave files, globs and exclusions as they are; in the image, a plain name without a dot is a folder', () => {
		assert.deepEqual(presetPatterns(frameworks.cucumber, ['notes.txt', 'x/*.feature', '!features/slow/**', 'gone'], root, false), ['notes.txt', 'x/*.feature', '!features/slow/**', 'gone']);
		assert.deepEqual(presetPatterns(frameworks.cucumber, ['suite/features', 'suite/a.feature'], root, true), ['suite/features/**/*.feature', 'suite/a.feature']);
	});

	it('find the suite not here when none of the folders the patterns start from is', () => {
		assert.equal(suiteNotHere(['features/**/*.feature'], root), false);
		assert.equal(suiteNotHere(['spec/**/*_spec.rb', 'spec/'], root), true);
		assert.equal(suiteNotHere(['spec/**/*_spec.rb', 'tests/'], root), false);
		assert.equal(suiteNotHere(['**/test_*.py'], folder()), false, 'a glob from here looks here');
	});

	it('name each pattern of several that matched nothing', () => {
		assert.deepEqual(unmatched(['tests/test_a.py', 'tests/tset_b.py', 'features/'], ['tests/test_a.py', 'features/x/a.feature']), ['tests/tset_b.py']);
	});
});

describe('what a preset sets of a run', () => {
	const root = folder({'features/a.feature': ''});
	const values = {patterns: [], findInImage: false};
	const given = {cwd: root, backend: 'docker', listed: false, findInImageGiven: false};

	it('its patterns and its report, when the run names neither', () => {
		assert.deepEqual(withPreset(values, frameworks.cucumber, given), {
			values: {patterns: ['features/**/*.feature'], findInImage: false, results: '/tmp/baleen-results.xml', resultsFormat: 'junit'},
			notes: [],
		});
	});

	it('no report of its own for an explicit --command, and an explicit --results as it is', () => {
		assert.equal(withPreset({...values, command: 'cucumber-js {file}'}, frameworks.cucumber, given).values.results, undefined);
		assert.equal(withPreset({...values, results: 'out.xml'}, frameworks.cucumber, given).values.results, 'out.xml');
	});

	it('its report read in its own format, unless --results-format names another', () => {
		assert.equal(withPreset(values, frameworks.jest, given).values.resultsFormat, 'jest-json');
		assert.equal(withPreset(values, frameworks.rspec, given).values.resultsFormat, 'rspec-json');
		assert.equal(withPreset(values, frameworks.go, given).values.resultsFormat, 'go-json');
		assert.equal(withPreset({...values, resultsFormat: 'junit'}, frameworks.jest, given).values.resultsFormat, 'junit');
	});

	it('the suite in the image when it is not here, and a line that says so', () => {
		const {values: set, notes} = withPreset({...values, patterns: ['spec/']}, frameworks.rspec, given);
		assert.deepEqual(set.patterns, ['spec/**/*_spec.rb']);
		assert.equal(set.findInImage, true);
		assert.deepEqual(notes, [`spec/: not in ${root}, so the rspec files are looked for in the image (as --find-in-image does)`]);
		assert.equal(withPreset({...values, patterns: ['spec/']}, frameworks.rspec, {...given, findInImageGiven: true}).values.findInImage, false, '--no-find-in-image decides');
	});

	it('no report from a backend that cannot copy one out, and a line that says so', () => {
		const {values: set, notes} = withPreset(values, frameworks.cucumber, {...given, backend: 'swarm'});
		assert.equal(set.results, undefined);
		assert.deepEqual(notes, ['the swarm backend cannot copy files out of a job: each file\'s tests are not known, only its result']);
	});
});

describe('finding a framework\'s program in the image', () => {
	const lookup = (cwd: string, ...candidates: string[]) => spawnSync('/bin/sh', ['-c', lookupScript, 'baleen-lookup', ...candidates], {cwd, encoding: 'utf8'});
	const node = execFileSync('/bin/sh', ['-c', 'command -v node'], {encoding: 'utf8'}).trim();

	it('takes node_modules/.bin in the working directory or a folder above, run by node', () => {
		const root = folder({'node_modules/.bin/cucumber-js': '', 'suite/features/a.feature': ''});
		const found = lookup(path.join(root, 'suite', 'features'), 'node:cucumber-js', 'path:cucumber-js');
		assert.equal(found.status, 0);
		assert.deepEqual(programWords(found.stdout), [node, `${root}/node_modules/.bin/cucumber-js`]);
	});

	it('then the PATH, in the order the preset gives', () => {
		const found = lookup(folder(), 'node:sh', 'path:baleen-no-such-program', 'path:sh');
		assert.equal(found.status, 0);
		assert.match(programWords(found.stdout)[0]!, /\/sh$/);
	});

	it('exits 1 when none is there, from a folder at the root too', () => {
		const cwd = folder();
		mkdirSync(path.join(cwd, 'deep'));
		assert.equal(lookup(path.join(cwd, 'deep'), 'node:baleen-no-such-program', 'path:baleen-no-such-program', 'python:baleen_no_such_module').status, 1);
		assert.equal(lookup('/', 'node:baleen-no-such-program').status, 1);
	});

	it('names each candidate as the script takes it', () => {
		assert.deepEqual(frameworks.pytest.program.map(candidate => candidateWord(candidate)), ['path:pytest', 'path:py.test', 'python:pytest']);
	});
});

describe('the help', () => {
	it('lists the presets, one line each', () => {
		assert.equal(presetLines().length, frameworkNames.length);
		for (const line of presetLines()) {
			assert.ok(helpText.includes(line), line);
		}
	});

	it('shows what a preset sets: patterns, program, command, report and no-tests rule', () => {
		const help = presetHelp(frameworks.pytest);
		assert.match(help, /^\n {2}pytest: each test_\*\.py or \*_test\.py file, its tests from --junitxml\n/);
		assert.match(help, /\$ baleen pytest \[patterns…\] --image IMAGE \[options\] \[-- pytest arguments…\]/);
		assert.match(help, /^ {4}patterns {3}\*\*\/\{test_\*\.py,\*_test\.py\};/m);
		assert.match(help, /^ {4}program {4}looked up once in the image: pytest on the PATH, py\.test on the PATH, python3 -m pytest$/m);
		assert.match(help, /^ {4}command {4}\{program\} -p no:cacheprovider --junitxml=\/tmp\/baleen-results\.xml \{args\} \{file\}/m);
		assert.match(help, /^ {4}results {4}\/tmp\/baleen-results\.xml \(junit\)/m);
		assert.match(help, /^ {4}no tests {3}.*exit 5/m);
	});
});
