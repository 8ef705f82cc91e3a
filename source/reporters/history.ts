import {scan, type Observable} from 'rxjs';
import type {Resources, RunEvent, TestCase, TestStatus} from '../events.js';
import {recordRun, type History} from '../plan/history.js';
import {outcomesOf} from '../plan/outcomes.js';
import type {TestTime} from '../plan/split.js';
import {writtenOnce, type Reporter} from './reporter.js';

/** What the history needs of a run: that it started, and each finished file's status and time, and its tests' times when its report told them. */
type Ended = {started: boolean; files: Map<string, {status: TestStatus; durationMs: number; tests?: TestTime[]; resources?: Resources}>};

const testTimes = (testcases: readonly TestCase[]): TestTime[] => testcases.map(({name, classname, timeMs}) => ({name, ...(classname !== undefined && {classname}), ms: timeMs ?? 0}));

function ended(events$: Observable<RunEvent>): Observable<Ended> {
	return events$.pipe(scan((state: Ended, event) => {
		if (event.type === 'run-start') {
			return {...state, started: true};
		}

		if (event.type === 'test-end') {
			// A split file's time is the sum of its parts': what it would take whole, so that the next run splits it again.
			const durationMs = event.split?.partsMs ?? event.durationMs;
			state.files.set(event.file, {status: event.status, durationMs, ...(event.testcases && {tests: testTimes(event.testcases)}), ...(event.resources && {resources: event.resources})});
		}

		return state;
	}, {started: false, files: new Map()}));
}

/**
Records what later runs learn from this one, at its end (a cancelled run too, with what finished):
each file's time (when it ran to an end of its own) and whether it passed, a file this run did not run
keeping what it had. A sharded run keeps them in its shard's record; any other folds them, with the
shards' records waiting, into the timings and last-run files. A history that cannot be written is
told to `warn`, and never fails the run.
*/
export function historyReporter(history: History, warn: (line: string) => void): Reporter {
	return events$ => writtenOnce(ended(events$), {started: false, files: new Map()}, {
		ready: state => state.started,
		write({files}) {
			recordRun(history, outcomesOf(files, new Date().toISOString()));
		},
		failed(error) {
			warn(`could not record this run's timings and failures: ${error.message}`);
		},
	});
}
