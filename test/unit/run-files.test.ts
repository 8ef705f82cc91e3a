import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defer, finalize} from 'rxjs';
import {TestScheduler} from 'rxjs/testing';
import {schemaVersion, type RunEvent} from '../../source/events.js';
import {runFiles} from '../../source/run/run.js';

const end = (file: string): RunEvent => ({
	schema: schemaVersion, type: 'test-end', file, status: 'passed', exitCode: 0, durationMs: 0, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0,
});

const scheduler = () => new TestScheduler((actual, expected) => {
	assert.deepEqual(actual, expected);
});

test('a free slot takes the next file at once: a slow file holds back nobody', () => {
	scheduler().run(({cold, expectObservable, expectSubscriptions}) => {
		// One file takes 8 frames, the others 1 or 2; two slots.
		const lives = {
			slow: cold('--------(x|)', {x: end('slow')}),
			a: cold('-(x|)', {x: end('a')}),
			b: cold('--(x|)', {x: end('b')}),
			c: cold('-(x|)', {x: end('c')}),
			d: cold('-(x|)', {x: end('d')}),
		};
		const events = runFiles(Object.keys(lives), 2, file => lives[file as keyof typeof lives]);

		// Batches of two would end a at 1, b at 3, then wait for slow (8) before c and d.
		expectObservable(events).toBe('-a-bcd--(s|)', {
			s: end('slow'), a: end('a'), b: end('b'), c: end('c'), d: end('d'),
		});
		expectSubscriptions(lives.slow.subscriptions).toBe('^-------!');
		expectSubscriptions(lives.a.subscriptions).toBe('^!');
		expectSubscriptions(lives.b.subscriptions).toBe('-^-!');
		expectSubscriptions(lives.c.subscriptions).toBe('---^!');
		expectSubscriptions(lives.d.subscriptions).toBe('----^!');
	});
});

test('never more than the concurrency at once, and every file exactly once', () => {
	let running = 0;
	let most = 0;
	const ended: string[] = [];
	const files = Array.from({length: 12}, (_, index) => `f${index}`);
	scheduler().run(({cold, flush}) => {
		runFiles(files, 3, file => defer(() => {
			running += 1;
			most = Math.max(most, running);
			return cold(`${'-'.repeat(1 + (file.length % 3))}(x|)`, {x: end(file)});
		}).pipe(finalize(() => {
			running -= 1;
		}))).subscribe(event => {
			if (event.type === 'test-end') {
				ended.push(event.file);
			}
		});
		flush();
	});
	assert.equal(most, 3);
	assert.deepEqual(ended.toSorted(), files.toSorted());
});
