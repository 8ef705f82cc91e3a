import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {containerCommand, script, shellName} from '../../source/command.js';
import {hostileNames} from '../helpers/names.js';
import {measuredEnd} from '../../source/resources/figures.js';


test('{file} becomes the quoted first positional parameter', () => {
	assert.equal(script('rspec {file}'), 'rspec "$1"');
	assert.equal(script('node --test {file} --reporter=tap'), 'node --test "$1" --reporter=tap');
});

test('a {file} the user quoted is not quoted twice', () => {
	assert.equal(script('cat \'{file}\''), 'cat "$1"');
	assert.equal(script('cat "{file}" {file}'), 'cat "$1" "$1"');
});

test('a template without {file} gets the file as its last argument', () => {
	assert.equal(script('pytest -q'), 'pytest -q "$1"');
});

const sh = (body: string, file = 'x') => {
	try {
		return {status: 0, stdout: execFileSync('/bin/sh', ['-c', body, shellName, file], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}), stderr: ''};
	} catch (error) {
		const {status, stdout, stderr} = error as {status: number; stdout: string; stderr: string};
		return {status, stdout, stderr};
	}
};

test('--before runs first, in the same shell as the command', () => {
	assert.deepEqual(sh(script('echo "$GREETING {file}"', 'GREETING=hello; cd /')), {status: 0, stdout: 'hello x\n', stderr: ''});
});

test('a failing --before stops the file with its exit code and says so', () => {
	const {status, stdout, stderr} = sh(script('echo ran {file}', 'echo preparing; (exit 7)'));
	assert.equal(status, 7);
	assert.equal(stdout, 'preparing\n');
	assert.match(stderr, /--before failed with exit code 7/);
});

test('the container argv carries the file as data after the script', () => {
	assert.deepEqual(containerCommand('sh {file}', 'a b.sh'), ['/bin/sh', '-c', 'sh "$1"', 'sh', 'a b.sh']);
});

const marker = 'baleen-resources-0123456789abcdef';

/** A container command run by the host's shell: its exit code and its whole stdout and stderr. */
const ran = (argv: string[]) => {
	const [shell, ...args] = argv;
	const run = spawnSync(shell!, args, {encoding: 'utf8'});
	return {status: run.status, stdout: run.stdout, stderr: run.stderr};
};

test('measured, the file\'s command keeps its exit code, its exit traps, its output and its words; the figures come last on stderr, and taking them off gives the stderr back byte for byte', () => {
	for (const [template, stderr] of [['printf out; printf err >&2; exit 7', 'err'], ['echo err >&2; (exit 3)', 'err\n'], ['true', '']] as const) {
		const run = ran(containerCommand(`${template} #{file}`, 'a b.sh', undefined, [], marker));
		const end = measuredEnd(run.stderr, marker);
		assert.ok(end, `${template}: ${run.stderr}`);
		assert.equal(run.stderr.slice(0, -end.bytes), stderr);
		assert.equal(run.status, template === 'true' ? 0 : (template.includes('exit 7') ? 7 : 3));
		assert.equal(run.stdout, template.startsWith('printf out') ? 'out' : '');
	}

	const trapped = ran(containerCommand('trap "echo bye" EXIT; exit 4 #{file}', 'a.sh', undefined, [], marker));
	assert.deepEqual([trapped.status, trapped.stdout], [4, 'bye\n']);
	const before = ran(containerCommand('echo ran {file}', 'a.sh', '(exit 5)', [], marker));
	assert.equal(before.status, 5);
	assert.match(before.stderr, /^baleen: --before failed with exit code 5\n/);

	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-measured-'));
	for (const name of hostileNames) {
		const [shell, ...args] = containerCommand('printf "%s|" {file} {args}', name, undefined, [name, '--x y'], marker);
		assert.equal(execFileSync(shell!, args, {cwd: directory, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}), `${name}|${name}|--x y|`);
	}

	assert.deepEqual(readdirSync(directory), [], 'nothing in a name may run');
});

test('a shell given the argv receives every hostile name exactly and runs none of it', () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-quoting-'));
	for (const name of hostileNames) {
		const [shell, ...args] = containerCommand('printf %s {file}', name);
		const received = execFileSync(shell!, args, {cwd: directory, encoding: 'utf8'});
		assert.equal(received, name);
	}

	assert.deepEqual(readdirSync(directory), [], 'nothing in a name may run');
});

test('a command missing in the image is the shell\'s own error, not one that reads as baleen\'s', () => {
	const {status, stderr} = sh(script('baleen-no-such-command {file}'));
	assert.equal(status, 127);
	assert.match(stderr, /baleen-no-such-command/);
	assert.doesNotMatch(stderr, /^baleen:/);
});
