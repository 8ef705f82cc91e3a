import {
	asyncScheduler, catchError, concat, defer, EMPTY, from, ignoreElements, map, mergeMap, of, race, take, timer, type Observable, type SchedulerLike,
} from 'rxjs';
import {alongside} from '../../rx/alongside.js';
import {usingResource} from '../../rx/using-resource.js';
import {withSeen} from '../../rx/with-seen.js';
import type {JobEvent} from '../backend.js';
import {exited, type ContainerRun} from './container.js';
import {errorMessage, type Engine} from './engine.js';
import {isLost} from './outages.js';
import type {FileEvent, SlotContainer, SlotContainers} from './slot-containers.js';
import {killFile, type SlotRequest} from './slot-helper.js';

export type SlotRun = ContainerRun & {slots: SlotContainers; slot: number; request: SlotRequest};

/** What a file's end is when its slot's container had to be killed under it: as a killed container's. */
const killedEnd: FileEvent = {type: 'end', exitCode: 137, outOfMemory: false};

/**
Told to stop: everything of the file is killed from outside (an exec); when that cannot be, or the file
has not ended within a call's deadline after it, the slot's container is killed with the file in it.
*/
function killed(engine: Engine, id: string, stopped$: Observable<void>, scheduler: SchedulerLike = asyncScheduler): Observable<never> {
	const killContainer = defer(async () => engine.kill(id)).pipe(catchError(() => EMPTY));
	return stopped$.pipe(take(1), mergeMap(() => concat(
		defer(async () => engine.exec(id, killFile)).pipe(catchError(() => killContainer)),
		timer(engine.callTimeoutMs ?? 30_000, scheduler).pipe(mergeMap(() => killContainer)),
	)), ignoreElements());
}

/**
One job in its slot's container (`--isolate slot`): the slot's container taken (made on the slot's
first file), the file run in it, then what it left brought out as from a container of its own. The
container goes on to the slot's next file only after a file that passed: one that failed, timed out,
errored or was cut short is removed with what it holds, and the slot gets a new one.
*/
export function runInSlot(run: SlotRun): Observable<JobEvent> {
	const {spec, stop$, slots, slot} = run;
	return usingResource<SlotContainer, JobEvent>({
		create: async () => slots.take(slot, spec),
		use: (container, stopped$) => fileLife(run, container, stopped$),
		remove: async container => (container.reusable ? undefined : slots.retire(slot, container.id)),
		failed: (error): JobEvent => ({type: 'failed', message: errorMessage(error), ...(isLost(error) && {lost: true})}),
		stop$,
	});
}

/**
The slot's stream broke or ended under a file: the engine went away, if it did (asked with a call that
tells, and starts the wait for its return: the file is then lost, not failed), else the error as it came.
*/
async function whyBroken(engine: Engine, id: string, error: unknown): Promise<never> {
	await engine.oomKilled(id).catch((asked: unknown) => {
		if (isLost(asked)) {
			throw asked;
		}
	});
	throw error;
}

function fileLife(run: SlotRun, container: SlotContainer, stopped$: Observable<void>): Observable<JobEvent> {
	const {engine, request, scheduler = asyncScheduler} = run;
	const at = scheduler.now();
	return concat(
		of<JobEvent[]>({type: 'started', id: container.id, at}, {type: 'running'}),
		container.run(request).pipe(
			// A container killed under a file told to stop: the file was killed.
			catchError((error: unknown) => race(stopped$.pipe(take(1), map(() => killedEnd)), from(whyBroken(engine, container.id, error)))),
			alongside(killed(engine, container.id, stopped$, scheduler)),
			withSeen(stopped$),
			mergeMap(([event, stopped = false]) => (event.type === 'output'
				? of<JobEvent>({type: 'output', stream: event.stream, chunk: event.chunk})
				: from(exited(run, container.id, {exitCode: event.exitCode, at, stopped, outOfMemory: event.outOfMemory, sent: event.results})))),
		),
	);
}
