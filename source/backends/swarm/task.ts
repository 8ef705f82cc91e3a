import {randomBytes} from 'node:crypto';
import {Observable} from 'rxjs';
import type {Job, JobEvent} from '../backend.js';
import {errorMessage} from '../docker/engine.js';
import {serviceName, serviceSpec} from './spec.js';
import {ranStates, terminalStates, type SwarmManager, type Task} from './swarm.js';

/** How often a task's state is asked for: Docker 20.10 has no event for a task's state that a client can follow. */
export const pollMs = 200;

const ignore = () => undefined;

export type TaskOptions = {
	/** Removes the service and whatever the engine keeps of its task (the exited container). */
	removeService: (serviceId: string) => Promise<void>;
	pollMs?: number;
};

const ranOf = (task: Task | undefined): task is Task => task !== undefined && ranStates.has(task.state);

/**
One job as a one-shot Swarm service: create it, follow its task until it ends, read its output back
from the service's logs (before the service goes: task history is reaped), then remove it. A job told
to stop reads what was printed so far, then removes the service, which ends the task; it tells no exit
status. A task no node takes within the job's timeout fails with what Swarm says holds it.
*/
export function runTask(manager: SwarmManager, job: Job, stop$: Observable<unknown>, {removeService, pollMs: interval = pollMs}: TaskOptions): Observable<JobEvent> {
	return new Observable<JobEvent>(subscriber => {
		let serviceId: string | undefined;
		let stopping = false;
		let removed = false;
		let wake = ignore as () => void;
		const stopSubscription = stop$.subscribe(() => {
			stopping = true;
			wake();
		});
		const nap = async () => new Promise<void>(resolve => {
			const timer = setTimeout(resolve, interval);
			wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});

		async function follow(id: string): Promise<Task | undefined> {
			const queuedAt = Date.now();
			let started = false;
			for (;;) {
				// eslint-disable-next-line no-await-in-loop
				const task = await manager.task(id);
				if (!started && ranOf(task)) {
					started = true;
					subscriber.next({type: 'started', id: task.containerId ?? task.id, at: Date.now()});
				}

				if (stopping || (task && terminalStates.has(task.state))) {
					return task;
				}

				if (!started && Date.now() - queuedAt > job.timeoutMs) {
					throw new Error(`no Swarm node ran the task within ${job.timeoutMs / 1000} s (${task ? `${task.state}${task.message ? `: ${task.message}` : ''}` : 'no task made'})`);
				}

				// eslint-disable-next-line no-await-in-loop
				await nap();
			}
		}

		async function life(): Promise<void> {
			if (stopping) {
				return; // Stopped before its turn came: no service at all.
			}

			serviceId = await manager.create(serviceSpec(serviceName(job.spec.labels['baleen.run'] ?? 'run', randomBytes(4).toString('hex')), job.spec));
			const task = await follow(serviceId);
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
				subscriber.next({type: 'failed', message: `the Swarm task ended ${task?.state ?? 'unmade'}${task?.message ? `: ${task.message}` : ''}`});
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
			wake();
			if (!removed && serviceId) {
				removeService(serviceId).catch(ignore);
			}
		};
	});
}
