import {closeSync, openSync, writeSync} from 'node:fs';
import type {Observable} from 'rxjs';
import type {RunEvent} from '../events.js';
import type {Reporter} from './reporter.js';

/**
A reporter that writes text to a file as the run goes, a chunk at a time and synchronously, so that
what was told is on disk even after a forced stop, and nothing waits in memory for the disk.
*/
export function fileReporter(file: string, text: (events$: Observable<RunEvent>) => Observable<string>): Reporter {
	return events$ => {
		const descriptor = openSync(file, 'w');
		let open = true;
		const close = () => {
			if (open) {
				open = false;
				closeSync(descriptor);
			}
		};

		let stop = close;
		const written = new Promise<void>(resolve => {
			const subscription = text(events$).subscribe({
				next(chunk) {
					if (open) {
						writeSync(descriptor, chunk);
					}
				},
				error() {
					close();
					resolve();
				},
				complete() {
					close();
					resolve();
				},
			});
			stop = () => {
				subscription.unsubscribe();
				close();
				resolve();
			};
		});
		return {written, forced: () => stop()};
	};
}
