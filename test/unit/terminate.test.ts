import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {describe, it} from 'node:test';
import {NEVER} from 'rxjs';
import type {CancelSignal} from '../../source/events.js';
import {stopSignals, terminate, type Step} from '../../source/terminate.js';
import {testScheduler} from '../helpers/scheduler.js';

const signals = {i: 'SIGINT', t: 'SIGTERM', h: 'SIGHUP', p: 'SIGPIPE'} as const satisfies Record<string, CancelSignal>;
const steps = {
	c: {type: 'cancel', signal: 'SIGINT'},
	C: {type: 'cancel', signal: 'SIGTERM'},
	f: {type: 'force', signal: 'SIGINT', quietly: false},
	F: {type: 'force', signal: 'SIGTERM', quietly: false},
	h: {type: 'force', signal: 'SIGHUP', quietly: true},
	p: {type: 'force', signal: 'SIGPIPE', quietly: true},
	l: {type: 'leave', exitCode: 130},
	L: {type: 'leave', exitCode: 143},
	H: {type: 'leave', exitCode: 129},
	P: {type: 'leave', exitCode: 141},
} as const satisfies Record<string, Step>;

describe('the signal policy, in virtual time', () => {
	it('cancels on the first Ctrl-C, forces on the second, and leaves once the clean-up is done', () => {
		testScheduler().run(({hot, cold, expectObservable}) => {
			const signal$ = hot('-i 99ms i', signals);
			const cleanup = cold('20ms (x|)');
			expectObservable(terminate(signal$, {forceCleanup: () => cleanup})).toBe('-c 99ms f 19ms (l|)', steps);
		});
	});

	it('forces by itself when a cancel has waited 10 s', () => {
		testScheduler().run(({hot, cold, expectObservable}) => {
			expectObservable(terminate(hot('-t', signals), {forceCleanup: () => cold('(x|)')})).toBe('-C 9999ms (FL|)', steps);
		});
	});

	it('leaves 5 s after a forced stop even when the engine never answers the clean-up', () => {
		testScheduler().run(({hot, expectObservable}) => {
			expectObservable(terminate(hot('-i 9ms i', signals), {forceCleanup: () => NEVER})).toBe('-c 9ms f 4999ms (l|)', steps);
		});
	});

	it('leaves all the same when the clean-up fails', () => {
		testScheduler().run(({hot, cold, expectObservable}) => {
			expectObservable(terminate(hot('-i 9ms i', signals), {forceCleanup: () => cold('5ms #')})).toBe('-c 9ms f 4ms (l|)', steps);
		});
	});

	it('forces at once and quietly when nobody is left to read: a closed terminal, a reader gone', () => {
		testScheduler().run(({hot, cold, expectObservable}) => {
			expectObservable(terminate(hot('-h', signals), {forceCleanup: () => cold('(x|)')})).toBe('-(hH)', steps);
			expectObservable(terminate(hot('-p', signals), {forceCleanup: () => cold('(x|)')})).toBe('-(pP)', steps);
		});
	});

	it('a closed terminal during a cancel forces quietly with its own code; later signals change nothing', () => {
		testScheduler().run(({hot, cold, expectObservable}) => {
			const signal$ = hot('-i 9ms h 9ms i', signals);
			expectObservable(terminate(signal$, {forceCleanup: () => cold('100ms (x|)')}), '^ 1s !').toBe('-c 9ms h 99ms (H|)', steps);
		});
	});

	it('cleans up only once, whatever comes after the force', () => {
		testScheduler().run(({hot, cold, expectObservable, expectSubscriptions}) => {
			const cleanup = cold('50ms (x|)');
			expectObservable(terminate(hot('-i 9ms i 9ms i 9ms h', signals), {forceCleanup: () => cleanup}), '^ 1s !').toBe('-c 9ms f 49ms (l|)', steps);
			expectSubscriptions(cleanup.subscriptions).toBe('11ms ^ 49ms !');
		});
	});

	it('stops the 10 s escalation when unsubscribed (the run ended gracefully)', () => {
		testScheduler().run(({hot, cold, expectObservable}) => {
			const cleanup = cold('(x|)');
			expectObservable(terminate(hot('-t', signals), {forceCleanup: () => cleanup}), '^ 5s !').toBe('-C', steps);
		});
	});
});

describe('the signals that stop a run', () => {
	it('come from the process and from a stdout or stderr that went away, and stop coming when unsubscribed', () => {
		const process = new EventEmitter();
		const stdout = new EventEmitter();
		const seen: CancelSignal[] = [];
		const subscription = stopSignals(process as unknown as NodeJS.Process, [stdout as unknown as NodeJS.WriteStream]).subscribe(signal => seen.push(signal));
		try {
			process.emit('SIGINT');
			process.emit('SIGTERM');
			process.emit('SIGHUP');
			stdout.emit('error', Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}));
			assert.deepEqual(seen, ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE']);
		} finally {
			subscription.unsubscribe();
		}

		assert.equal(process.listenerCount('SIGINT'), 0);
		assert.equal(stdout.listenerCount('error'), 0);
	});
});
