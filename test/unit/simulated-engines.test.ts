import assert from 'node:assert/strict';
import {test} from 'node:test';
import {lastValueFrom, toArray} from 'rxjs';
import {engineOfSlot, simulatedEngines} from '../../bench/lib/simulated-engines.js';
import type {TestEnd} from '../../source/events.js';
import {run} from '../../source/run/run.js';
import {folder} from '../helpers/folder.js';

test('a slot belongs to one simulated engine: their slots side by side', () => {
	const engines = [{slots: 2, latencyMs: 1}, {slots: 3, latencyMs: 1}];
	assert.deepEqual([0, 1, 2, 3, 4].map(slot => engineOfSlot(engines, slot)), [0, 0, 1, 1, 1]);
});

test('simulated engines run every file once through the real pipeline, their slots the run\'s', async () => {
	const directory = folder(Object.fromEntries(Array.from({length: 6}, (_, index) => [`${index}.t`, ''])));
	const backend = simulatedEngines({engines: [{slots: 1, latencyMs: 4}, {slots: 2, latencyMs: 2}], testMs: 5});
	const events = await lastValueFrom(run({patterns: ['*.t'], cwd: directory, image: 'simulated', command: 'true'}, {backend}).pipe(toArray()));
	const start = events.find(event => event.type === 'run-start');
	assert.equal(start?.type === 'run-start' && start.concurrency, 3);
	const ends = events.filter((event): event is TestEnd => event.type === 'test-end');
	assert.deepEqual(ends.map(end => end.file).sort(), ['0.t', '1.t', '2.t', '3.t', '4.t', '5.t']);
	assert.ok(ends.every(end => end.status === 'passed' && end.stdout === `ran ${end.file}\n`));
});
