import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {lastValueFrom, toArray} from 'rxjs';
import {run, reduceState, initialState, BaleenError, dockerBackend} from 'baleen';
import {FakeEngine} from '../helpers/fake-engine.js';

test('the package exports the run as an Observable of events, and the reducer over them', async () => {
	const cwd = mkdtempSync(path.join(tmpdir(), 'baleen-api-'));
	writeFileSync(path.join(cwd, 'a.sh'), '');
	const events = await lastValueFrom(run({patterns: ['*.sh'], image: 'shell', command: 'sh {file}', cwd}, {backend: dockerBackend(new FakeEngine())}).pipe(toArray()));
	const state = events.reduce(reduceState, initialState);
	assert.deepEqual(state.totals.summary, {total: 1, passed: 1, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0});
	assert.equal(state.end?.exitCode, 0);
	assert.equal(typeof BaleenError, 'function');
});
