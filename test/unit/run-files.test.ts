import assert from 'node:assert/strict';
import {test} from 'node:test';
import {concat, defer, of, tap, timer, ignoreElements} from 'rxjs';
import {runFiles} from '../../source/run/run.js';
import {testEnd, testStart} from '../helpers/fixtures.js';
import {testScheduler as scheduler} from '../helpers/scheduler.js';

const start = (file: string) => testStart(file, 0, file);
const end = (file: string) => testEnd(file, 'passed', 0);

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

test('never more than one file per slot at once, every file exactly once, every slot used', () => {
	const running = new Map<number, string>();
	const slotsUsed = new Set<number>();
	let most = 0;
	const ended: string[] = [];
	const files = Array.from({length: 12}, (_, index) => `f${index}`);
	scheduler().run(({flush}) => {
		runFiles(files, 3, (file, slot) => defer(() => {
			assert.equal(running.get(slot), undefined, `slot ${slot} runs ${running.get(slot)} when ${file} comes`);
			running.set(slot, file);
			slotsUsed.add(slot);
			most = Math.max(most, running.size);
			// Each file ends after 1 to 3 frames; what it made is removed 5 frames later.
			return concat(of(start(file)), timer(1 + (file.length % 3)).pipe(ignoreElements()), of(end(file)).pipe(tap(() => {
				running.delete(slot);
			})), timer(5).pipe(ignoreElements()));
		})).subscribe(event => {
			if (event.type === 'test-end') {
				ended.push(event.file);
			}
		});
		flush();
	});
	assert.equal(most, 3);
	assert.deepEqual([...slotsUsed].toSorted(), [0, 1, 2]);
	assert.deepEqual(ended.toSorted(), files.toSorted());
});

test('a slot frees at its file\'s test-end; the stream completes only when every job has', () => {
	scheduler().run(({cold, expectObservable, expectSubscriptions}) => {
		// Each job tells its end at frame 1 and removes what it made until frame 4.
		const job = (file: string) => cold('-x---|', {x: end(file)});
		const jobs = new Map(['a', 'b', 'c'].map(file => [file, job(file)]));
		expectObservable(runFiles([...jobs.keys()], 1, file => jobs.get(file)!)).toBe('-abc---|', {a: end('a'), b: end('b'), c: end('c')});
		expectSubscriptions(jobs.get('b')!.subscriptions).toBe('-^----!');
		expectSubscriptions(jobs.get('c')!.subscriptions).toBe('--^----!');
	});
});
