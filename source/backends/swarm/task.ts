import {randomBytes} from 'node:crypto';
import {
	EMPTY, asyncScheduler, concat, connect, defer, last, map, merge, mergeMap, of, startWith, takeUntil, takeWhile, throwError,
	withLatestFrom, type Observable, type SchedulerLike,
} from 'rxjs';
import {usingResource} from '../../rx/using-resource.js';
import type {Job, JobEvent} from '../backend.js';
import {errorMessage} from '../docker/engine.js';
import type {Board} from './board.js';
import {serviceName, serviceSpec} from './spec.js';
import {ranStates, terminalStates, type SwarmManager, type Task} from './manager.js';

export type TaskContext = {
	manager: SwarmManager;
	/** The run the job is of: its services are named for it. */
	runId: string;
	/** The tasks of the job's run, looked at together (see board.ts). */
	board$: Observable<Board>;
	/** Removes the service and whatever the engine keeps of its task (the exited container). */
	removeService: (serviceId: string) => Promise<void>;
	/** The clock of the task's start and of the wait for a node. */
	scheduler?: SchedulerLike;
};

const ranOf = (task: Task | undefined): task is Task => task !== undefined && ranStates.has(task.state);
const ended = (task: Task | undefined) => task !== undefined && terminalStates.has(task.state);

/**
One job as a one-shot Swarm service: create it, follow its task until it ends, read its output back
from the service's logs (before the service goes: task history is reaped), then remove it. A job told
to stop reads what was printed so far, then removes the service, which ends the task; it tells no exit
status. A task no node takes within the job's timeout fails with what Swarm says holds it; a task
whose node went away (`orphaned`) fails as lost, so that the run may give the file another attempt.
*/
export function runTask(context: TaskContext, job: Job, stop$: Observable<unknown>): Observable<JobEvent> {
	const {manager, removeService} = context;
	return usingResource({
		create: async () => manager.create(serviceSpec(serviceName(context.runId, randomBytes(4).toString('hex')), job.spec)),
		use: (serviceId, stopped$) => taskLife(context, job, serviceId, stopped$),
		remove: removeService,
		failed: (error): JobEvent => ({type: 'failed', message: errorMessage(error)}),
		stop$,
	});
}

/** Its task as each look sees it, until it ends or the job is told to stop; then its output, and how it ended. */
function taskLife({manager, board$, scheduler = asyncScheduler}: TaskContext, job: Job, serviceId: string, stopped$: Observable<void>): Observable<JobEvent> {
	return defer(() => {
		const queuedAt = scheduler.now();
		return board$.pipe(
			map(board => board.get(serviceId)),
			takeWhile(task => !ended(task), true),
			takeUntil(stopped$),
			connect(looks$ => merge(
				looks$.pipe(
					takeWhile(task => !ranOf(task), true),
					mergeMap(task => {
						if (ranOf(task)) {
							const started: JobEvent[] = [{type: 'started', id: task.containerId ?? task.id, at: scheduler.now()}, {type: 'running'}];
							return started;
						}

						return !ended(task) && scheduler.now() - queuedAt > job.timeoutMs
							? throwError(() => new Error(`no Swarm node ran the task within ${job.timeoutMs / 1000} s (${holdUp(task)})`))
							: EMPTY;
					}),
				),
				looks$.pipe(
					last(undefined, undefined),
					withLatestFrom(stopped$.pipe(map(() => true), startWith(false))),
					mergeMap(([task, stopped]) => concat(
						ranOf(task) || stopped ? defer(async () => manager.logs(serviceId)).pipe(mergeMap(outputs => outputs.map((output): JobEvent => ({type: 'output', ...output})))) : EMPTY,
						stopped ? EMPTY : of(taskEnd(task)),
					)),
				),
			)),
		);
	});
}

/** What Swarm says holds a task no node runs yet. */
const holdUp = (task: Task | undefined) => (task ? `${task.state}${task.message ? `: ${task.message}` : ''}` : 'no task made');

/** How a task that ended by itself ended: its exit code, or why there is none. */
function taskEnd(task: Task | undefined): JobEvent {
	return task?.exitCode !== undefined && ranOf(task) && task.state !== 'shutdown'
		? {type: 'exited', exitCode: task.exitCode}
		: {
			type: 'failed',
			message: `the Swarm task ended ${task?.state ?? 'unmade'}${task?.message ? `: ${task.message}` : ''}`,
			...(task?.state === 'orphaned' && {lost: true}),
		};
}
