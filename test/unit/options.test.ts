import assert from 'node:assert/strict';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {
	parseConcurrency, parseCpus, parseEnv, parseMemory, parseMount, parsePidsLimit, parseTimeout,
} from '../../source/options/parse.js';

test('concurrency is a whole number of at least 1', () => {
	assert.equal(parseConcurrency('8'), 8);
	for (const bad of ['0', 'abc', '-2', '1.5', '']) {
		assert.throws(() => parseConcurrency(bad), /--concurrency must be a whole number of at least 1/);
	}
});

test('timeout is a positive number of seconds', () => {
	assert.equal(parseTimeout('600'), 600);
	assert.equal(parseTimeout('1.5'), 1.5);
	assert.equal(parseTimeout('30s'), 30);
	for (const bad of ['0', '-5', 'soon', '']) {
		assert.throws(() => parseTimeout(bad), /--timeout must be a number of seconds greater than 0/);
	}
});

test('env takes KEY=VALUE or passes the host\'s value for KEY', () => {
	assert.equal(parseEnv('A=1=2'), 'A=1=2');
	assert.equal(parseEnv('EMPTY='), 'EMPTY=');
	assert.equal(parseEnv('HOSTY', {HOSTY: 'yes'}), 'HOSTY=yes');
	assert.throws(() => parseEnv('UNSET_HERE', {}), /UNSET_HERE is not set here/);
	assert.throws(() => parseEnv('=x'), /--env takes KEY=VALUE/);
	assert.throws(() => parseEnv('1A=x'), /--env takes KEY=VALUE/);
});

test('mount makes its source absolute and checks it exists', () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-mount-'));
	assert.equal(parseMount('.:/work', directory), `${directory}:/work`);
	assert.equal(parseMount(`${directory}:/work:ro`, '/'), `${directory}:/work:ro`);
	assert.throws(() => parseMount('absent:/work', directory), /--mount source "absent" does not exist/);
	for (const bad of ['.', '.:work', '.:/work:rx', ':/work', '.:/a:ro:x']) {
		assert.throws(() => parseMount(bad, directory), /--mount takes SRC:DST\[:ro\]/);
	}
});

test('resource limits take what Docker\'s own flags take, and refuse the rest in one line', () => {
	assert.equal(parseMemory('512m'), 512 * 1024 ** 2);
	assert.equal(parseMemory('1.5G'), 1.5 * 1024 ** 3);
	assert.equal(parseMemory(64 * 1024 ** 2), 64 * 1024 ** 2);
	for (const bad of ['1k', '5m', 'lots', '', '-1g', '2x']) {
		assert.throws(() => parseMemory(bad), /--memory takes a size of at least 6m/);
	}

	assert.equal(parseCpus('0.5'), 0.5);
	assert.throws(() => parseCpus('0'), /--cpus takes a number of CPUs greater than 0/);
	assert.equal(parsePidsLimit('64'), 64);
	assert.throws(() => parsePidsLimit('1.5'), /--pids-limit takes a whole number/);
});
