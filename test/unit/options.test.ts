import assert from 'node:assert/strict';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {checked} from '../../source/options/check.js';
import {bailReached, bailed} from '../../source/options/settings/bail.js';
import {withHostValue} from '../../source/options/settings/env.js';
import {bindOf} from '../../source/options/settings/mount.js';
import {table} from '../../source/options/table.js';
import {refusal} from '../helpers/refusal.js';


test('concurrency is a whole number of at least 1', () => {
	assert.equal(checked(table.concurrency, '8'), 8);
	assert.equal(checked(table.concurrency, 8), 8);
	for (const bad of ['0', 'abc', '-2', '1.5', '']) {
		assert.equal(refusal(() => checked(table.concurrency, bad)), `--concurrency must be a whole number of at least 1, not "${bad}"`);
	}
});

test('timeout is a positive number of seconds, and 600 when not given', () => {
	assert.equal(checked(table.timeoutSeconds, '600'), 600);
	assert.equal(checked(table.timeoutSeconds, '1.5'), 1.5);
	assert.equal(checked(table.timeoutSeconds, '30s'), 30);
	assert.equal(checked(table.timeoutSeconds, undefined), 600);
	assert.equal(checked(table.engineWaitSeconds, undefined), 60);
	for (const bad of ['0', '-5', 'soon', '', '0s']) {
		assert.equal(refusal(() => checked(table.timeoutSeconds, bad)), `--timeout must be a number of seconds greater than 0, not "${bad}"`);
	}

	assert.match(refusal(() => checked(table.engineWaitSeconds, '0')), /^--engine-wait must be a number of seconds greater than 0/);
});

test('env takes KEY=VALUE or passes the host\'s value for KEY', () => {
	assert.deepEqual(checked(table.env, ['A=1=2', 'EMPTY=', 'HOSTY']), ['A=1=2', 'EMPTY=', 'HOSTY']);
	assert.deepEqual(checked(table.env, {A: 1, B: true}), ['A=1', 'B=true']);
	assert.equal(withHostValue('HOSTY', {HOSTY: 'yes'}), 'HOSTY=yes');
	assert.equal(withHostValue('A=1', {}), 'A=1');
	assert.match(refusal(() => withHostValue('UNSET_HERE', {})), /UNSET_HERE is not set here/);
	assert.equal(refusal(() => checked(table.env, ['A=1', '=x'])), '--env takes KEY=VALUE or KEY, not "=x"');
	assert.match(refusal(() => checked(table.env, ['1A=x'])), /--env takes KEY=VALUE/);
});

test('mount makes its source absolute and checks it exists', () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-mount-'));
	assert.deepEqual(checked(table.mounts, '.:/work'), ['.:/work']);
	assert.equal(bindOf('.:/work', directory), `${directory}:/work`);
	assert.equal(bindOf(`${directory}:/work:ro`, '/'), `${directory}:/work:ro`);
	assert.match(refusal(() => bindOf('absent:/work', directory)), /--mount source "absent" does not exist/);
	for (const bad of ['.', '.:work', '.:/work:rx', ':/work', '.:/a:ro:x']) {
		assert.equal(refusal(() => checked(table.mounts, [bad])), `--mount takes SRC:DST[:ro] with an absolute DST, not "${bad}"`);
	}
});

test('resource limits take what Docker\'s own flags take, and refuse the rest in one line', () => {
	assert.equal(checked(table.memory, '512m'), 512 * 1024 ** 2);
	assert.equal(checked(table.memory, '1.5G'), 1.5 * 1024 ** 3);
	assert.equal(checked(table.memory, 64 * 1024 ** 2), 64 * 1024 ** 2);
	for (const bad of ['1k', '5m', 'lots', '', '-1g', '2x']) {
		assert.equal(refusal(() => checked(table.memory, bad)), `--memory takes a size of at least 6m, e.g. 512m or 2g, not "${bad}"`);
	}

	assert.equal(checked(table.cpus, '0.5'), 0.5);
	assert.equal(refusal(() => checked(table.cpus, '0')), '--cpus takes a number of CPUs greater than 0, e.g. 1 or 0.5, not "0"');
	assert.equal(checked(table.pidsLimit, '64'), 64);
	assert.equal(refusal(() => checked(table.pidsLimit, '1.5')), '--pids-limit takes a whole number of processes of at least 1, not "1.5"');
});

test('retries and bail are counts, each in its own words', () => {
	assert.equal(checked(table.retries, undefined), 0);
	assert.equal(refusal(() => checked(table.retries, '-1')), '--retries takes a whole number of retries of at least 0, not "-1"');
	assert.equal(checked(table.bail, '2'), 2);
	assert.equal(checked(table.bail, undefined), undefined);
	assert.equal(refusal(() => checked(table.bail, '0')), '--bail takes a whole number of failed files of at least 1, not "0"');
});

test('results-format names a reader of the registry, and one near what was given when it names none', () => {
	assert.equal(checked(table.resultsFormat, undefined), undefined);
	assert.equal(checked(table.resultsFormat, 'rspec-json'), 'rspec-json');
	assert.equal(refusal(() => checked(table.resultsFormat, 'gojson')), '--results-format takes junit, jest-json, rspec-json or go-json, not "gojson" (did you mean go-json?)');
	assert.equal(refusal(() => checked(table.resultsFormat, 'tap')), '--results-format takes junit, jest-json, rspec-json or go-json, not "tap"');
});

test('image and command are required, and not blank', () => {
	assert.equal(refusal(() => checked(table.image, undefined)), '--image is required, e.g. --image my-tests:latest');
	assert.equal(refusal(() => checked(table.command, ' ')), '--command is required, e.g. --command "npm test -- {file}", or run a framework\'s preset: baleen cucumber|mocha|jest|vitest|node|pytest|rspec|go …');
});

test('--bail N: N files that did not pass stop the run from starting more; without it nothing does', () => {
	assert.equal(bailReached(1, 2), false);
	assert.equal(bailReached(2, 2), true);
	assert.equal(bailReached(1000, undefined), false);
	const summary = {total: 4, passed: 0, flaky: 0, failed: 1, timedOut: 1, errored: 0, cancelled: 2};
	assert.equal(bailed(summary, 2), true);
	assert.equal(bailed(summary, 3), false);
	assert.equal(bailed({...summary, cancelled: 0}, 2), false, 'nothing was left unrun');
	assert.equal(bailed(summary, undefined), false);
});
