import {scan, type Observable} from 'rxjs';
import type {RunEvent, TestStatus} from '../events.js';
import {
	readLastRun, recordLastRun, recordTimings, type History,
} from '../plan/history.js';
import {writtenOnce, type Reporter} from './reporter.js';

/** What the history needs of a run: that it started, and each finished file's status and time. */
type Ended = {started: boolean; files: Map<string, {status: TestStatus; durationMs: number}>};

/** A `flaky` file (passed on a retry) passed too. */
const passing = new Set<TestStatus>(['passed', 'flaky']);
/** A time worth ordering by: the file ran to an end of its own (a time-out is at least its time). */
const timed = (status: TestStatus) => status !== 'cancelled' && status !== 'error';

function ended(events$: Observable<RunEvent>): Observable<Ended> {
	return events$.pipe(scan((state: Ended, event) => {
		if (event.type === 'run-start') {
			return {...state, started: true};
		}

		if (event.type === 'test-end') {
			state.files.set(event.file, {status: event.status, durationMs: event.durationMs});
		}

		return state;
	}, {started: false, files: new Map()}));
}

/**
Records what later runs learn from this one, at its end (a cancelled run too, with what finished):
each file's time, merged into the timings file, and which files did not pass, merged into the last-run
file: a file this run ran takes its new status, one it did not run keeps the one it had. A history
that cannot be written is told to `warn`, and never fails the run.
*/
export function historyReporter(history: History, warn: (line: string) => void): Reporter {
	return events$ => writtenOnce(ended(events$), {started: false, files: new Map()}, {
		ready: state => state.started,
		write({files}) {
			const results = [...files];
			recordTimings(history.timings, history.project, Object.fromEntries(results
				.filter(([, {status}]) => timed(status))
				.map(([file, {durationMs}]) => [file, durationMs])));
			const before = readLastRun(history.lastRun, history.project)?.notPassed ?? [];
			const notPassed = new Set(before.filter(file => !files.has(file)));
			for (const [file, {status}] of results) {
				if (!passing.has(status)) {
					notPassed.add(file);
				}
			}

			recordLastRun(history.lastRun, history.project, {at: new Date().toISOString(), notPassed: [...notPassed].sort()});
		},
		failed(error) {
			warn(`could not record this run's timings and failures: ${error.message}`);
		},
	});
}
