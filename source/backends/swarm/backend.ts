import {of, type Observable} from 'rxjs';
import {BaleenError} from '../../errors.js';
import type {Backend, JobEvent} from '../backend.js';
import {dockerBackend} from '../docker/backend.js';
import {dockerEngine} from '../docker/dockerode.js';
import {errorMessage, type Engine} from '../docker/engine.js';
import {taskBoard, type Board} from './board.js';
import {swarmManager, type SwarmManager} from './manager.js';
import {runTask} from './task.js';

/** The label Swarm puts on each task's container: how the containers of a removed service are found. */
const serviceLabel = 'com.docker.swarm.service.id';

export type SwarmHandles = {
	/** The manager's engine as a Docker engine: its images, `--build`, and the containers its tasks leave. */
	engine?: Engine;
	/** The manager's service and node calls. */
	manager?: SwarmManager;
	/** How often a run's tasks are looked at (see board.ts). */
	pollMs?: number;
};

/**
A Swarm manager as a backend: each job a one-shot service (see task.ts), so that the cluster's
scheduler places it on a node. The slots are the CPUs of the nodes that take tasks; slots keep no
sandbox (a task runs where Swarm puts it). The image is checked (or built) on the manager's engine:
the other nodes must find it in a registry or have it already.

Docker 20.10 leaves the exited container of a removed job's task behind: the manager's engine
removes those of its own node; a worker's stay there until its engine prunes them.
*/
export function swarmBackend({engine = dockerEngine(), manager = swarmManager(), pollMs}: SwarmHandles = {}): Backend {
	const onEngine = dockerBackend(engine);
	const removeService = async (serviceId: string) => {
		await manager.remove(serviceId);
		await engine.removeLabelled({[serviceLabel]: serviceId});
	};

	// The run's tasks, looked at together by its jobs (one that no job follows costs nothing).
	let prepared: {runId: string; board$: Observable<Board>} | undefined;

	return {
		name: `swarm ${manager.name}`,

		async prepare({runId, image, build, signal, network, engineWaitMs}) {
			const {notes} = await onEngine.prepare({runId, image, build, signal, engineWaitMs});
			const why = await manager.whyNotManager().catch((error: unknown) => errorMessage(error));
			if (why) {
				throw new BaleenError(`--swarm: the Docker engine at ${manager.name} cannot place tasks: ${why}`);
			}

			if (network === 'none') {
				throw new BaleenError('--network none: Swarm services have no such network; leave --network out, or give host or an overlay network');
			}

			prepared = {runId, board$: taskBoard(manager, `baleen.run=${runId}`, pollMs)};
			return {slots: Math.max(1, await manager.cpus()), notes};
		},

		run(job, stop$) {
			return prepared
				? runTask({manager, removeService, ...prepared}, job, stop$)
				: of<JobEvent>({type: 'failed', message: `the Swarm manager ${manager.name} was not prepared for a run`});
		},

		async sweep(runId) {
			const services = await manager.removeLabelled({'baleen.run': runId});
			return services + await engine.removeLabelled({'baleen.run': runId});
		},

		async close() {
			// Nothing is kept across jobs.
		},
	};
}
