import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {BaleenError} from '../../source/errors.js';
import type {RunStart} from '../../source/events.js';
import {run} from '../../source/run/run.js';
import {folder} from '../helpers/folder.js';
import {hostBackend} from '../helpers/host-backend.js';
import {collect, statusOf} from '../helpers/run.js';

/** A run whose "image" is this host: each file a process in `cwd`, the program looked up here. */
const onHost = (cwd: string) => hostBackend(folder(), cwd).backend({environment: process.env});

describe('a preset\'s run', () => {
	it('looks its program up once, runs each file with it, and says which pattern of several matched nothing', async () => {
		const cwd = folder({
			'a.test.js': 'import test from \'node:test\';\ntest(\'adds\', () => {});\n',
			'b.test.js': 'import test from \'node:test\';\ntest(\'fails\', () => { throw new Error(\'no\'); });\n',
		});
		const events = await collect(run({framework: 'node', image: 'host', patterns: ['a.test.js', 'b.test.js', 'gone.test.js'], results: path.join(cwd, 'r.xml'), cwd, runId: 'unit'}, {backend: onHost(cwd)}));
		assert.deepEqual(statusOf(events), {'a.test.js': 'passed', 'b.test.js': 'failed'});
		assert.deepEqual((events[0] as RunStart).notes, ['no file matches gone.test.js']);
		assert.equal(events.filter(event => event.type === 'test-start').length, 2, 'the lookup is no file of the run');
	});

	it('whose program is not in the image fails the run once, naming the image and where it looked', async () => {
		const cwd = folder({'a.test.js': ''});
		await assert.rejects(collect(run({framework: 'jest', image: 'host-image', cwd, runId: 'unit'}, {backend: onHost(cwd)})), (error: unknown) => {
			assert.ok(error instanceof BaleenError);
			assert.equal(error.message, 'the jest preset: the image host-image has no jest (looked for node_modules/.bin/jest in the working directory or a folder above, jest on the PATH); give the command with --command, or use an image that has it');
			return true;
		});
	});
});
