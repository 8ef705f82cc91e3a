import assert from 'node:assert/strict';
import {test} from 'node:test';
import {concat, of, timer, ignoreElements, type Observable} from 'rxjs';
import type {RunEvent} from '../../source/events.js';
import {runFiles} from '../../source/run/run.js';
import {assign, emptySlots, type SlotSignal, type Slots} from '../../source/run/slots.js';
import {testEnd, testStart} from '../helpers/fixtures.js';
import {testScheduler} from '../helpers/scheduler.js';

/** The assignments a series of signals makes, from no file handed out. */
function play(total: number, signals: Array<[SlotSignal['type'], number]>, lookAhead = true) {
	let slots: Slots = emptySlots(total, 2);
	return signals.map(([type, slot]) => {
		const step = assign(slots, {type, slot}, lookAhead);
		slots = step.slots;
		return step.run ? `run ${step.run.file} in ${step.run.slot}` : (step.ahead ? `ahead ${step.ahead.file} in ${step.ahead.slot}` : '-');
	});
}

test('files go out in order; a busy slot takes the next ahead and runs it when it frees', () => {
	assert.deepEqual(play(5, [['free', 0], ['free', 1], ['busy', 0], ['busy', 1], ['free', 1], ['busy', 1], ['busy', 1], ['free', 0]]), [
		'run 0 in 0', 'run 1 in 1', 'ahead 2 in 0', 'ahead 3 in 1', 'run 3 in 1', 'ahead 4 in 1', '-', 'run 2 in 0',
	]);
});

test('without look-ahead, a slot takes a file only when it frees', () => {
	assert.deepEqual(play(3, [['free', 0], ['free', 1], ['busy', 0], ['free', 0], ['busy', 0], ['free', 0]], false), [
		'run 0 in 0', 'run 1 in 1', '-', 'run 2 in 0', '-', '-',
	]);
});

test('no slot takes a file ahead before every slot has had one', () => {
	assert.deepEqual(play(4, [['free', 0], ['busy', 0], ['free', 1], ['busy', 0]]), ['run 0 in 0', '-', 'run 1 in 1', 'ahead 2 in 0']);
});

test('a slot that frees with nothing left takes the first file another slot took ahead', () => {
	// Slot 0 runs a long file 0 with 2 ahead; slot 1 runs 1, then 3 (its own ahead), then has nothing.
	assert.deepEqual(play(4, [['free', 0], ['free', 1], ['busy', 0], ['busy', 1], ['free', 1], ['busy', 1], ['free', 1], ['free', 0]]), [
		'run 0 in 0', 'run 1 in 1', 'ahead 2 in 0', 'ahead 3 in 1', 'run 3 in 1', '-', 'run 2 in 1', '-',
	]);
});

const start = (file: string) => testStart(file, 0, file);
const end = (file: string) => testEnd(file, 'passed', 0);

test('with a backend that makes files ready ahead: each slot is told its next file as its file starts; a slow file holds back nobody', () => {
	const told: string[] = [];
	const ran: string[] = [];
	const frames = {slow: 8, a: 1, b: 2, c: 1, d: 1};
	testScheduler().run(({expectObservable}) => {
		const life = (file: string, slot: number): Observable<RunEvent> => {
			ran.push(`${file} in ${slot}`);
			// A frame to make the container, then the file runs its frames.
			return concat(timer(1).pipe(ignoreElements()), of(start(file)), timer(frames[file as keyof typeof frames]).pipe(ignoreElements()), of(end(file)));
		};

		const events = runFiles(Object.keys(frames), 2, life, {ahead({file}, slot) {
			told.push(`${file} in ${slot}`);
		}});
		// Slot 0 took b ahead behind slow; slot 1, with nothing left after d (frame 6), runs b itself.
		expectObservable(events.pipe(ignoreElements())).toBe('---------|');
	});
	assert.deepEqual(told, ['b in 0', 'c in 1', 'd in 1']);
	assert.deepEqual(ran, ['slow in 0', 'a in 1', 'c in 1', 'd in 1', 'b in 1']);
});
