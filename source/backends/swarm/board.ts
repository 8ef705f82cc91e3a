import {exhaustMap, share, timer, type Observable} from 'rxjs';
import type {SwarmManager, Task} from './manager.js';

/** How often the tasks are listed: Docker 20.10 has no event for a task's state that a client can follow. */
export const pollMs = 200;

/** The newest task of each service, by service id, as one look at the manager saw them. */
export type Board = Map<string, Task>;

/**
The tasks of one run, looked at every `interval` while any job follows them: one request for all the
run's running files, not one per file. A look still under way when the next is due is not doubled.
Once no job follows it, it stops; a failed look fails every job that follows it.
*/
export function taskBoard(manager: SwarmManager, label: string, interval = pollMs): Observable<Board> {
	return timer(0, interval).pipe(
		exhaustMap(async () => manager.tasks(label)),
		share(),
	);
}
