import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {containerCommand, script, shellName} from '../../source/command.js';
import {hostileNames} from '../helpers/names.js';
import {measured} from '../../source/resources/probe.js';


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
	assert.deepEqual(containerCommand('sh {file}', 'a b.sh'), ['/bin/sh', '-c', measured('sh "$1"'), 'sh', 'a b.sh']);
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
