import assert from 'node:assert/strict';
import {lastValueFrom, timeout, toArray, type Observable} from 'rxjs';
import type {RunEnd, RunEvent, TestEnd} from '../../source/events.js';
import type {RunOptions} from '../../source/options/types.js';
import {folder} from './folder.js';

/** A folder holding these empty files. */
export const suite = (...files: string[]) => folder(Object.fromEntries(files.map(file => [file, ''])));

/** A run of the `.sh` files of `cwd` in the image `shell`, as the unit tests' backends serve it. */
export function options(cwd: string, extra: Partial<RunOptions> = {}): RunOptions {
	return {patterns: ['**/*.sh'], image: 'shell', command: 'sh {file}', cwd, runId: 'unit', ...extra};
}

export const ends = (events: RunEvent[]) => events.filter((event): event is TestEnd => event.type === 'test-end');
export const runEnd = (events: RunEvent[]) => events.at(-1) as RunEnd;
export const statusOf = (events: RunEvent[]) => Object.fromEntries(ends(events).map(event => [event.file, event.status]));

/** Every event, or a failed assertion (and the run unsubscribed) if it has not ended within 5 s. */
export async function collect(events$: Observable<RunEvent>): Promise<RunEvent[]> {
	return lastValueFrom(events$.pipe(toArray(), timeout({first: 5000, with() {
		assert.fail('the run did not end within 5 s');
	}})));
}
