import Docker from 'dockerode';
import type {Output} from '../backend.js';
import {answered, callTimeoutMs} from '../docker/deadlines.js';
import {engineName} from '../docker/dockerode.js';
import type {EngineError} from '../docker/engine.js';
import {labelFilter, unlessGone} from '../docker/removal.js';

/** What Swarm says of a service's task, as much as a job needs. */
export type Task = {
	id: string;
	/** `new` … `running`, then one of the terminal states (see `terminalStates`). */
	state: string;
	/** The container the task runs in, once it has one. */
	containerId?: string;
	exitCode?: number;
	/** Why it failed or was rejected, in Swarm's words; also what holds it when it waits. */
	message?: string;
};

export const terminalStates = new Set(['complete', 'failed', 'shutdown', 'rejected', 'orphaned', 'remove']);
/** The states in which the task's process has begun, or has been and gone. */
export const ranStates = new Set(['running', 'complete', 'failed', 'shutdown']);

export type SwarmManager = {
	/** Where the manager is, as a person would look for it. */
	readonly name: string;
	/** Why this engine cannot place tasks (not in a swarm, or a worker), or undefined when it can. */
	whyNotManager(): Promise<string | undefined>;
	/** CPUs of the nodes that take tasks now (ready and active). */
	cpus(): Promise<number>;
	/** Creates the service; its id. */
	create(spec: Docker.CreateServiceOptions): Promise<string>;
	/** The newest task of each service whose tasks carry this label (`key=value`, or `key` for any value), by service id. */
	tasks(label: string): Promise<Map<string, Task>>;
	/** Everything the service's tasks printed so far, in order. */
	logs(serviceId: string): Promise<Output[]>;
	/** Removes the service (its task is shut down); one that is gone is fine. */
	remove(serviceId: string): Promise<void>;
	/** Removes every service carrying all these labels; returns how many. */
	removeLabelled(labels: Record<string, string>): Promise<number>;
	/** Ids, names and labels of the services carrying this label; none on an engine that is no manager, or has no services at all (Podman). */
	list(label: string): Promise<Array<{id: string; name: string; labels: Record<string, string>}>>;
};

/**
The multiplexed stream Docker sends for a TTY-less container's logs: frames of an 8-byte header
(stream 1 stdout, 2 stderr; 4 bytes of big-endian length) and their payload.
*/
export function demultiplex(buffer: Uint8Array): Output[] {
	const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
	const outputs: Output[] = [];
	for (let at = 0; at + 8 <= view.length;) {
		const length = view.readUInt32BE(at + 4);
		const stream = view[at] === 2 ? 'stderr' : 'stdout';
		outputs.push({stream, chunk: view.subarray(at + 8, at + 8 + length)});
		at += 8 + length;
	}

	return outputs;
}

/** A task as the Engine API lists it, as much of it as is read. */
type RawTask = {
	ID: string;
	ServiceID: string;
	CreatedAt?: string;
	Status?: {State?: string; Err?: string; Message?: string; ContainerStatus?: {ContainerID?: string; ExitCode?: number}};
};

function taskOf({ID, Status}: RawTask): Task {
	const message = Status?.Err ?? Status?.Message;
	return {
		id: ID,
		state: Status?.State ?? 'new',
		...(Status?.ContainerStatus?.ContainerID && {containerId: Status.ContainerStatus.ContainerID}),
		...(Status?.ContainerStatus?.ExitCode !== undefined && {exitCode: Status.ContainerStatus.ExitCode}),
		...(message && {message}),
	};
}

/** The Swarm manager a dockerode handle talks to, every call under the engine calls' deadline. */
export function swarmManager(docker = new Docker(), name = engineName(), ms = callTimeoutMs()): SwarmManager {
	const bound = async <T>(call: Promise<T>, what: string) => answered(call, what, name, ms);
	return {
		name,

		async whyNotManager() {
			const {Swarm} = await bound(docker.info(), 'its info') as {Swarm?: {LocalNodeState?: string; ControlAvailable?: boolean}};
			if (Swarm?.LocalNodeState !== 'active') {
				return `it is not in a swarm (${Swarm?.LocalNodeState || 'inactive'}); docker swarm init makes it a single-node one`;
			}

			return Swarm.ControlAvailable ? undefined : 'it is a worker of a swarm, not a manager; give a manager\'s address';
		},

		async cpus() {
			const nodes = await bound(docker.listNodes(), 'a list of nodes') as Array<{
				Spec?: {Availability?: string};
				Status?: {State?: string};
				Description?: {Resources?: {NanoCPUs?: number}};
			}>;
			const taking = nodes.filter(node => node.Status?.State === 'ready' && node.Spec?.Availability === 'active');
			return taking.reduce((sum, node) => sum + Math.floor((node.Description?.Resources?.NanoCPUs ?? 1e9) / 1e9), 0);
		},

		async create(spec) {
			const service = await bound(docker.createService(spec), 'a service create') as {id?: string; ID?: string};
			return service.id ?? service.ID!;
		},

		async tasks(label) {
			const tasks = await bound(docker.listTasks({filters: {label: [label]}}), 'a list of tasks') as RawTask[];
			const newest = new Map<string, RawTask>();
			for (const task of tasks) {
				const known = newest.get(task.ServiceID);
				if (!known || (known.CreatedAt ?? '') < (task.CreatedAt ?? '')) {
					newest.set(task.ServiceID, task);
				}
			}

			return new Map([...newest].map(([serviceId, task]) => [serviceId, taskOf(task)]));
		},

		async logs(serviceId) {
			const raw = await bound(docker.getService(serviceId).logs({stdout: true, stderr: true, follow: false}), 'the service\'s logs') as unknown;
			return demultiplex(raw as Buffer);
		},

		async remove(serviceId) {
			await bound(docker.getService(serviceId).remove().catch(unlessGone), 'a service removal');
		},

		async removeLabelled(labels) {
			const services = await bound(docker.listServices({filters: {label: labelFilter(labels)}}), 'a list of services');
			await Promise.all(services.map(async ({ID}) => bound(docker.getService(ID!).remove().catch(unlessGone), 'a service removal')));
			return services.length;
		},

		async list(label) {
			try {
				const services = await bound(docker.listServices({filters: {label: [label]}}), 'a list of services');
				return services.map(({ID, Spec}) => ({id: ID!, name: Spec?.Name ?? '', labels: Spec?.Labels ?? {}}));
			} catch (error) {
				// 503: "This node is not a swarm manager"; 404: an engine without services at all (Podman). Neither has services of ours.
				if ([404, 503].includes((error as EngineError).statusCode!)) {
					return [];
				}

				throw error;
			}
		},
	};
}
