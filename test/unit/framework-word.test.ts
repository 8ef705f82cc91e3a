import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {commandLine, misspeltFramework, splitAtDashes} from '../../source/options/argv.js';
import {projectLines, resolveOptions} from '../../source/options/resolve.js';
import {folder} from '../helpers/folder.js';
import {refusal} from '../helpers/refusal.js';


describe('the first word', () => {
	const cwd = folder({'features/a.feature': '', 'test/a.test.js': '', 'mocca': ''});

	it('names the framework; the words after it and --files are the patterns', () => {
		const {input, flags} = commandLine(['cucumber', '--image', 'cart', '--files', 'features/', 'extra.feature'], cwd);
		assert.deepEqual(input, ['extra.feature', 'features/']);
		assert.equal(flags.framework, 'cucumber');
	});

	it('hands everything after the first -- to the framework as it is, flags and another -- included', () => {
		assert.deepEqual(splitAtDashes(['-i', 'x', '--', '--tags', '@a b', '--', '-j']), {own: ['-i', 'x'], passed: ['--tags', '@a b', '--', '-j']});
		const {input, flags} = commandLine(['mocha', 'test/', '-i', 'x', '--', '--require', 'test/env.js', '-j', '2'], cwd);
		assert.deepEqual(input, ['test/']);
		assert.deepEqual(flags.args, ['--require', 'test/env.js', '-j', '2']);
		assert.equal(flags.concurrency, undefined, 'a flag after -- is not baleen\'s');
	});

	it('is a pattern when it names no framework: a path, a glob, or a word far from every name', () => {
		assert.deepEqual(commandLine(['test', '-i', 'x', '-c', 'sh'], cwd).input, ['test']);
		assert.deepEqual(commandLine(['*.sh', '-i', 'x', '-c', 'sh'], cwd).input, ['*.sh']);
		assert.deepEqual(commandLine(['mocca', '-i', 'x', '-c', 'sh'], cwd).input, ['mocca'], 'a file by that name is here');
		assert.deepEqual(commandLine(['integration', '-i', 'x', '-c', 'sh'], cwd).input, ['integration']);
		assert.equal(misspeltFramework('clean', cwd), undefined);
		assert.deepEqual(commandLine(['-', '-i', 'x', '-c', 'sh'], cwd).input, ['-'], 'the files from stdin');
		assert.equal(misspeltFramework('do', cwd), undefined, 'two letters are too few to tell a misspelt go');
	});

	it('misspelt, is told with the name it most likely means', () => {
		assert.equal(refusal(() => commandLine(['cucmber', '-i', 'x'], cwd)), 'unknown framework "cucmber" (did you mean cucumber?); the presets are cucumber, mocha, jest, vitest, node, pytest, rspec, go');
		assert.equal(refusal(() => commandLine(['pytset', '-i', 'x'], cwd)), 'unknown framework "pytset" (did you mean pytest?); the presets are cucumber, mocha, jest, vitest, node, pytest, rspec, go');
	});

	it('and --framework must agree; --framework alone does the same as the word', () => {
		assert.equal(refusal(() => commandLine(['cucumber', '--framework', 'mocha', '-i', 'x'], cwd)), 'cucumber and --framework mocha name two frameworks; give one');
		assert.equal(commandLine(['--framework', 'mocha', '-i', 'x'], cwd).flags.framework, 'mocha');
		assert.equal(refusal(() => resolveOptions([], commandLine(['--framework', 'mocka', '-i', 'x'], cwd).flags, cwd)), '--framework takes a framework, not "mocka" (did you mean mocha?); the presets are cucumber, mocha, jest, vitest, node, pytest, rspec, go');
	});
});

describe('a preset in the resolved options', () => {
	it('needs no --command; without a framework, the hint names the presets', () => {
		const cwd = folder({'features/a.feature': ''});
		const {options} = resolveOptions([], commandLine(['cucumber', '-i', 'cart'], cwd).flags, cwd);
		assert.equal(options.command, undefined);
		assert.deepEqual(options.patterns, ['features/**/*.feature']);
		assert.equal(options.results, '/tmp/baleen-results.xml');
		assert.match(refusal(() => resolveOptions(['a.sh'], commandLine(['a.sh', '-i', 'x'], cwd).flags, cwd)), /^--command is required, e\.g\. --command "npm test -- \{file\}", or run a framework's preset: baleen cucumber\|mocha\|/);
	});

	it('framework: in baleen.yml does what the word does, and the word overrides it', () => {
		const cwd = folder({'baleen.yml': 'image: app\nframework: pytest\nworkdir: /src\n', 'tests/test_a.py': ''});
		const fromFile = resolveOptions([], commandLine([], cwd).flags, cwd).options;
		assert.equal(fromFile.framework, 'pytest');
		assert.deepEqual(fromFile.patterns, ['**/{test_*.py,*_test.py}']);
		const {input, flags} = commandLine(['node', 'tests/'], cwd);
		const fromWord = resolveOptions(input, flags, cwd).options;
		assert.equal(fromWord.framework, 'node');
		assert.deepEqual(fromWord.patterns, ['tests/**/*.test.{js,mjs,cjs}']);
		assert.deepEqual(fromWord.exclude, ['tests/**/node_modules/**']);
	});

	it('an explicit --command and --results win over the preset\'s', () => {
		const cwd = folder({'features/a.feature': ''});
		const {input, flags} = commandLine(['cucumber', '-i', 'cart', '-c', 'npx cucumber-js {file}', '--results', 'r.xml'], cwd);
		const {options} = resolveOptions(input, flags, cwd);
		assert.equal(options.command, 'npx cucumber-js {file}');
		assert.equal(options.results, 'r.xml');
	});
});

describe('--list-projects', () => {
	it('names a project\'s framework, and its patterns as the preset\'s when it gives none', () => {
		const cwd = folder({'baleen.yml': 'projects:\n  api:\n    image: py\n    framework: pytest\n  web:\n    image: node\n    framework: jest\n    patterns: [web/]\n'});
		assert.deepEqual(projectLines({}, cwd), ['Projects in baleen.yml:', '  api  py · pytest · (the pytest preset\'s patterns)', '  web  node · jest · web/']);
	});
});
