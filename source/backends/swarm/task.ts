import {randomBytes} from 'node:crypto';
import {Observable, Subject, lastValueFrom, map, takeUntil, takeWhile, tap} from 'rxjs';
import type {Job, JobEvent} from '../backend.js';
import {errorMessage} from '../docker/engine.js';
import type {Board} from './board.js';
import {serviceName, serviceSpec} from './spec.js';
import {ranStates, terminalStates, type SwarmManager, type Task} from './manager.js';

const ignore = () => undefined;

export type TaskContext = {
	manager: SwarmManager;
	/** The run the job is of: its services are named for it. */
	runId: string;
	/** The tasks of the job's run, looked at together (see board.ts). */
	board$: Observable<Board>;
	/** Removes the service and whatever the engine keeps of its task (the exited container). */
	removeService: (serviceId: string) => Promise<void>;
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
export function runTask({manager, runId, board$, removeService}: TaskContext, job: Job, stop$: Observable<unknown>): Observable<JobEvent> {
	return new Observable<JobEvent>(subscriber => {
		let serviceId: string | undefined;
		let stopping = false;
		let removed = false;
		const halt$ = new Subject<void>();
		const stopSubscription = stop$.subscribe(() => {
			stopping = true;
			halt$.next();
		});

		/** Its task as each look sees it, until it ends or the job is told to stop; the last one seen. */
		async function follow(id: string): Promise<Task | undefined> {
			const queuedAt = Date.now();
			let started = false;
			let last: Task | undefined;
			await lastValueFrom(board$.pipe(
				map(board => board.get(id)),
				tap(task => {
					last = task;
					if (!started && ranOf(task)) {
						started = true;
						subscriber.next({type: 'started', id: task.containerId ?? task.id, at: Date.now()});
						subscriber.next({type: 'running'});
					}

					if (!started && !ended(task) && Date.now() - queuedAt > job.timeoutMs) {
						throw new Error(`no Swarm node ran the task within ${job.timeoutMs / 1000} s (${task ? `${task.state}${task.message ? `: ${task.message}` : ''}` : 'no task made'})`);
					}
				}),
				takeWhile(task => !ended(task), true),
				takeUntil(halt$),
			), {defaultValue: undefined});
			return last;
		}

		async function life(): Promise<void> {
			if (stopping) {
				return; // Stopped before its turn came: no service at all.
			}

			serviceId = await manager.create(serviceSpec(serviceName(runId, randomBytes(4).toString('hex')), job.spec));
			const task = stopping ? undefined : await follow(serviceId);
			if (ranOf(task) || stopping) {
				for (const output of await manager.logs(serviceId)) {
					subscriber.next({type: 'output', ...output});
				}
			}

			if (stopping) {
				return;
			}

			if (task?.exitCode !== undefined && ranOf(task) && task.state !== 'shutdown') {
				subscriber.next({type: 'exited', exitCode: task.exitCode});
			} else {
				subscriber.next({
					type: 'failed',
					message: `the Swarm task ended ${task?.state ?? 'unmade'}${task?.message ? `: ${task.message}` : ''}`,
					...(task?.state === 'orphaned' && {lost: true}),
				});
			}
		}

		void life()
			.catch((error: unknown) => {
				subscriber.next({type: 'failed', message: errorMessage(error)});
			})
			.then(async () => {
				stopSubscription.unsubscribe();
				if (serviceId) {
					await removeService(serviceId).catch(ignore);
				}

				removed = true;
				subscriber.complete();
			});

		return () => {
			stopSubscription.unsubscribe();
			// Unsubscribed before the end (a forced stop): nobody waits any more, but the service still goes.
			stopping = true;
			halt$.next();
			if (!removed && serviceId) {
				removeService(serviceId).catch(ignore);
			}
		};
	});
}
