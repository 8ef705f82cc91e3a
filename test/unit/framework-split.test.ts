import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {containerCommand} from '../../source/command.js';
import type {Framework, Selection} from '../../source/frameworks/framework.js';
import {presetCommand} from '../../source/frameworks/preset.js';
import {frameworks} from '../../source/frameworks/registry.js';
import {folder} from '../helpers/folder.js';
import {hostileNames} from '../helpers/names.js';

/** Names a filter must take as data: the fixtures' metacharacters, quotes, `$`, spaces. */
const awkward = ['adds (1+1) [twice]?', 'it\'s "quoted"', 'costs $5 | $(touch pwned) `x`', 'a.b*c+d^e{2}\\f', ' spaced  out '];

/** A stand-in program: prints each argument it is given, each ended by a NUL. */
const printer = ['/bin/sh', '-c', 'printf "%s\\0" "$@"', 'program'];

/** What the program is given for this selection of `file`, the preset's command run by /bin/sh as a container runs it. */
function argv(framework: Framework, selection: Selection | undefined, file = 'the file.x', program: readonly string[] = printer, env: NodeJS.ProcessEnv = {}, cwd?: string): string[] {
	const command = presetCommand(framework, program, '/dev/null', selection);
	const [shell, ...rest] = containerCommand(command, file);
	const run = spawnSync(shell!, rest, {encoding: 'utf8', env: {...process.env, ...env}, cwd});
	return run.stdout.split('\0').slice(0, -1);
}

/** The words after the report's: what the selection added, and the file. */
const after = (words: readonly string[], last: string) => words.slice(words.indexOf(last) + 1);

describe('a test\'s unit, from what our reader of its framework\'s report gives', () => {
	it('mocha: the full title, as --grep matches it (xunit gives a test outside any describe no classname)', () => {
		assert.equal(frameworks.mocha.split!.unit({name: 'halves an even number', classname: 'arithmetic division'}, 'test/a.spec.js'), 'arithmetic division halves an even number');
		assert.equal(frameworks.mocha.split!.unit({name: 'alone'}, 'test/a.spec.js'), 'alone');
	});

	it('cucumber: the scenario as the JUnit formatter names it (the plugin that selects names it so)', () => {
		assert.equal(frameworks.cucumber.split!.unit({name: 'division - halves an even number', classname: 'Arithmetic'}, 'features/a.feature'), 'division - halves an even number');
	});

	it('pytest: the node id after the file, the classes being what follows the module\'s own name in the classname', () => {
		const {unit} = frameworks.pytest.split!;
		assert.equal(unit({name: 'test_halves_an_even_number', classname: 'tests.test_arithmetic.TestDivision'}, 'tests/test_arithmetic.py'), 'TestDivision::test_halves_an_even_number');
		assert.equal(unit({name: 'test_squares[2-4]', classname: 'tests.test_arithmetic'}, 'tests/test_arithmetic.py'), 'test_squares[2-4]');
		assert.equal(unit({name: 'test_x[a.b]', classname: 'test_x.test_x.TestA.TestB'}, 'test_x/test_x.py'), 'TestA::TestB::test_x[a.b]', 'a folder named as its module');
		assert.equal(unit({name: 'test_x', classname: 'v1.2.test_x'}, 'v1.2/test_x.py'), 'test_x', 'a folder with a dot');
	});

	it('go: the top-level test, with which a subtest runs', () => {
		assert.equal(frameworks.go.split!.unit({name: 'TestDivision/halves_(an_even)_number?', classname: 'arithmetic'}, 'arithmetic'), 'TestDivision');
		assert.equal(frameworks.go.split!.unit({name: 'TestDivision'}, 'arithmetic'), 'TestDivision');
	});

	it('rspec: the full description, as -E matches it; without a context the reader names the file', () => {
		assert.equal(frameworks.rspec.split!.unit({name: 'halves an even number', classname: 'arithmetic division'}, 'spec/a_spec.rb'), 'arithmetic division halves an even number');
		assert.equal(frameworks.rspec.split!.unit({name: 'x', classname: './spec/a_spec.rb'}, 'spec/a_spec.rb'), 'x');
	});
});

describe('the {select} of each framework, run by /bin/sh as the container runs it', () => {
	it('runs the file whole as before, with no selection or all but none', () => {
		for (const [name, framework] of Object.entries(frameworks)) {
			assert.equal(presetCommand(framework, ['p'], 'r', {except: []}), presetCommand(framework, ['p'], 'r'), name);
		}

		assert.deepEqual(after(argv(frameworks.mocha, undefined), 'output=/dev/null'), ['the file.x']);
	});

	it('mocha: one --grep, anchored, each name literal; --invert for all but them', () => {
		const only = after(argv(frameworks.mocha, {only: awkward}), 'output=/dev/null');
		assert.equal(only.length, 3);
		assert.deepEqual([only[0], only[2]], ['--grep', 'the file.x']);
		const grep = new RegExp(only[1]!);
		for (const name of awkward) {
			assert.ok(grep.test(name), name);
			assert.ok(!grep.test(`${name} `) && !grep.test(`x${name}`) && !grep.test(name.slice(1)), name);
		}

		assert.ok(!grep.test('adds (1+1) [twice]') && !grep.test('adds 11 twice'));
		assert.deepEqual(after(argv(frameworks.mocha, {except: ['a', 'a']}), 'output=/dev/null'), ['--grep', '^(?:a)$', '--invert', 'the file.x']);
		assert.equal(new RegExp(after(argv(frameworks.mocha, {only: []}), 'output=/dev/null')[1]!).test('anything'), false, 'none: a --grep that matches no title');
	});

	it('rspec: one -E (a Ruby regular expression, anchored with \\A and \\z), each name literal', () => {
		assert.deepEqual(after(argv(frameworks.rspec, {only: ['adds (1+1) [twice]?', 'x']}), '/dev/null'), ['-E', '\\A(?:adds \\(1\\+1\\) \\[twice\\]\\?|x)\\z', 'the file.x']);
		assert.deepEqual(after(argv(frameworks.rspec, {except: ['a$']}), '/dev/null'), ['-E', '\\A(?!(?:a\\$)\\z)', 'the file.x']);
	});

	it('cucumber: a plugin in a data: URL that keeps the scenarios whose JUnit names are (or are not) the selection\'s', async () => {
		const words = after(argv(frameworks.cucumber, {only: awkward}), 'junit:/dev/null');
		assert.equal(words.length, 3);
		assert.deepEqual([words[0], words[2]], ['--plugin', 'the file.x']);
		assert.match(words[1]!, /^data:text\/javascript,[\w%!~*'().-]+$/);
		const kept = await filtered(words[1]!);
		assert.deepEqual(kept, ['adds (1+1) [twice]?']);
		const except = await filtered(after(argv(frameworks.cucumber, {except: ['adds (1+1) [twice]?', 'division - halves an even number', 'eats <n> - small - #1.2: eats 2']}), 'junit:/dev/null')[1]!);
		assert.deepEqual(except, ['eats <n> - small - #1.1: eats 1', 'eats <n> - #2.1: eats 3', 'r - x - plain - #1.1', 'r - x - plain - #1.2']);
	});

	it('pytest: node ids after the file as it is given, each one word', () => {
		const file = 'tests/the file.py';
		assert.deepEqual(after(argv(frameworks.pytest, {only: ['TestDivision::test_halves', 'test_squares[2-4]', 'test_x[it\'s $x]']}, file), '--junitxml=/dev/null'), [
			`${file}::TestDivision::test_halves`, `${file}::test_squares[2-4]`, `${file}::test_x[it's $x]`,
		]);
		assert.deepEqual(after(argv(frameworks.pytest, {only: []}, file), '--junitxml=/dev/null'), [file, '--deselect=']);
	});

	it('pytest: all but some, from the node ids pytest collects (--deselect would take prefixes), after the file as it is given', () => {
		const work = folder();
		const fake = path.join(work, 'pytest');
		// Collects the ids of $IDS (as pytest -q prints them, from its rootdir) and exits $COLLECT; else prints its arguments.
		writeFileSync(fake, `#!/bin/sh\ncase " $* " in *" --collect-only "*) printf '%s\\n' $IDS '' '3 tests collected'; exit "\${COLLECT:-0}";; esac\n${printer[2]}\n`, {mode: 0o755});
		const ids = 'sub/tests/test_a.py::test_a sub/tests/test_a.py::test_ab sub/tests/test_a.py::TestB::test_c[1-2]';
		const run = (selection: Selection, env: NodeJS.ProcessEnv = {}) => after(argv(frameworks.pytest, selection, 'tests/test_a.py', [fake], {IDS: ids, ...env}), '--junitxml=/dev/null');
		assert.deepEqual(run({except: ['test_a', 'gone']}), ['tests/test_a.py::test_ab', 'tests/test_a.py::TestB::test_c[1-2]']);
		assert.deepEqual(run({except: ['test_a', 'test_ab', 'TestB::test_c[1-2]']}), ['tests/test_a.py', '--deselect='], 'none left: all deselected');
		assert.deepEqual(run({except: ['test_a']}, {COLLECT: '2'}), ['tests/test_a.py'], 'not collected: the file whole, to fail as it does');
		assert.deepEqual(run({except: ['test_a']}, {IDS: '', COLLECT: '5'}), ['tests/test_a.py', '--deselect='], 'no test at all');
	});

	it('go: -run with the top-level names, anchored; all but some from go test -list, in the same command', () => {
		const work = folder();
		const fake = path.join(work, 'go');
		writeFileSync(fake, `#!/bin/sh\nif [ "$1" = tool ]; then cat > /dev/null; exit 0; fi\ncase " $* " in *" -list "*) printf '%s\\n' TestA TestAB 'BenchmarkC' ExampleD FuzzE 'ok  \\tpkg\\t0.1s'; exit 0;; esac\n${printer[2]}\n`, {mode: 0o755});
		const run = (selection: Selection) => after(argv(frameworks.go, selection, 'pkg', [fake]), '-v');
		assert.deepEqual(run({only: ['TestA', 'Test$(x)']}), ['-run', '^(?:TestA|Test\\$\\(x\\))$', './pkg']);
		assert.deepEqual(run({except: ['TestA', 'TestGone']}), ['-run', '^(?:TestAB|ExampleD|FuzzE)$', './pkg']);
		assert.deepEqual(run({except: ['TestA', 'TestAB', 'ExampleD', 'FuzzE']}), ['-run', '^(?:)$', './pkg'], 'none left: a -run that runs none');
		assert.deepEqual(after(argv(frameworks.go, undefined, 'pkg', [fake]), '-v'), ['./pkg']);
	});

	it('takes a file name as data in every fragment (pytest\'s all-but-some splits it at spaces: a module\'s name has none)', () => {
		const work = folder();
		for (const file of hostileNames) {
			for (const [name, framework] of Object.entries(frameworks)) {
				for (const selection of [{only: ['a']}, {except: ['a']}] as const) {
					const words = argv(framework, selection, file, printer, {}, work);
					const whole = name !== 'pytest' || 'only' in selection || !/\s/.test(file);
					assert.ok(!whole || words.some(word => word.includes(file)), `${name} ${JSON.stringify(selection)} ${file}: ${words.join(' ')}`);
				}
			}
		}

		assert.equal(execFileSync('ls', [work], {encoding: 'utf8'}), '', 'no file name ran as code');
	});
});

/** The names of these scenarios that a plugin's pickles:filter keeps, as cucumber-js would hand them to it. */
async function filtered(url: string): Promise<string[]> {
	const {default: plugin} = await import(url) as {default: {type: string; coordinator(context: {transform(key: string, transformer: (pickles: unknown[]) => unknown[]): void}): void}};
	assert.equal(plugin.type, 'plugin');
	let filter: ((pickles: unknown[]) => unknown[]) | undefined;
	plugin.coordinator({transform: (key, transformer) => {
		assert.equal(key, 'pickles:filter');
		filter = transformer;
	}});
	return (filter!(pickles) as typeof pickles).map(({name}) => name);
}

/** A feature with each kind of scenario, and its pickles, each with the name the JUnit formatter gives it (cucumber-js 12.9 writes these). */
const row = (id: string) => ({id});
const document = {feature: {name: 'Outlines', children: [
	{background: {id: 'bg'}},
	{scenario: {id: 's1', name: 'adds (1+1) [twice]?', examples: []}},
	{scenario: {id: 's2', name: 'eats <n>', examples: [{name: 'small', tableBody: [row('r1'), row('r2')]}, {name: '', tableBody: [row('r3')]}]}},
	{rule: {name: 'division', children: [{background: {id: 'bg2'}}, {scenario: {id: 's3', name: 'halves an even number', examples: []}}]}},
	{rule: {name: 'r - x', children: [{scenario: {id: 's4', name: 'plain', examples: [{name: '', tableBody: [row('r4'), row('r5')]}]}}]}},
]}};
const pickle = (name: string, junit: string, ...astNodeIds: string[]) => ({name: junit, pickle: {name, astNodeIds}, gherkinDocument: document});
const pickles = [
	pickle('adds (1+1) [twice]?', 'adds (1+1) [twice]?', 's1'),
	pickle('eats 1', 'eats <n> - small - #1.1: eats 1', 's2', 'r1'),
	pickle('eats 2', 'eats <n> - small - #1.2: eats 2', 's2', 'r2'),
	pickle('eats 3', 'eats <n> - #2.1: eats 3', 's2', 'r3'),
	pickle('halves an even number', 'division - halves an even number', 's3'),
	pickle('plain', 'r - x - plain - #1.1', 's4', 'r4'),
	pickle('plain', 'r - x - plain - #1.2', 's4', 'r5'),
];
