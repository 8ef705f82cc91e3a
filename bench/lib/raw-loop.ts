/**
The baseline the benches hold baleen against: `slots` loops over the Engine API, each taking the next
file and running one container for it, with no client library in between. The plain shape is the
issue's baseline (create → start → wait → remove, the engine's defaults); the other shapes are the
variants the engine bench compares, to find what cuts a container's cost.
*/
import type {IncomingMessage} from 'node:http';
import {body, type EngineApi} from './engine-api.js';

export type Work = {
	image: string;
	cmd: string[];
	binds?: string[];
	workdir?: string;
	files: number;
	slots: number;
	labels: Record<string, string>;
	/** When aborted, no slot takes another file. */
	signal?: AbortSignal;
};

export type Shape = {
	/** `holder`: every container of a slot joins the network namespace of one long-lived container of that slot. */
	network: 'default' | 'none' | 'host' | 'holder';
	/** `default` leaves LogConfig out, so the engine's default driver (json-file) writes the output. */
	logs: 'default' | 'none';
	/** Read the output through attach, as baleen does, before start. */
	attach: boolean;
	/**
	`wait-first`: wait for the next exit before start, in parallel with it. `auto-remove`: the engine removes the
	container, wait?condition=removed says when (one request less). `ahead`: a slot creates its next container
	while the current one runs and removes the finished one behind, off its path. `exec`: no container per file,
	each file is an exec in one long-lived container of the slot (not isolation baleen promises; for scale).
	*/
	flow: 'plain' | 'wait-first' | 'auto-remove' | 'ahead' | 'exec';
	/** HostConfig.Init: docker-init as pid 1. */
	init: boolean;
	/** No masked or read-only /proc paths: fewer mounts for runc to make. Weakens isolation; measured, not advised. */
	unmasked: boolean;
	/** SecurityOpt seccomp=unconfined: no seccomp filter for runc to build and load. Weakens isolation; measured, not advised. */
	unconfined: boolean;
};

export const plain: Shape = {network: 'default', logs: 'default', attach: false, flow: 'plain', init: false, unmasked: false, unconfined: false};

export async function rawLoop(api: EngineApi, work: Work, shape: Shape): Promise<void> {
	const holds = shape.network === 'holder' || shape.flow === 'exec';
	const holders = holds ? await Promise.all(Array.from({length: work.slots}, async () => holder(api, work, shape.flow === 'exec'))) : [];
	try {
		let next = 0;
		let failed = false;
		// After a failure no slot takes another file, so nothing is created once the caller cleans up.
		const take = () => (next < work.files && !failed && !work.signal?.aborted ? next++ : undefined);
		const slot = async (holderId?: string) => {
			const container = containerFor(api, work, shape, holderId ? `container:${holderId}` : (shape.network === 'default' ? undefined : shape.network));
			if (shape.flow === 'exec') {
				while (take() !== undefined) {
					// eslint-disable-next-line no-await-in-loop
					await execOne(api, holderId!, work.cmd);
				}

				return;
			}

			if (shape.flow === 'ahead') {
				await aheadSlot(api, container, take);
				return;
			}

			while (take() !== undefined) {
				// eslint-disable-next-line no-await-in-loop
				await runOne(api, container, shape);
			}
		};

		const slots = await Promise.allSettled(Array.from({length: work.slots}, async (_, index) => slot(holders[index]).catch((error: unknown) => {
			failed = true;
			throw error;
		})));
		work.signal?.throwIfAborted();
		const failure = slots.find(slot => slot.status === 'rejected');
		if (failure) {
			throw failure.reason;
		}
	} finally {
		await Promise.all(holders.map(async id => api.call('DELETE', `/containers/${id}?force=1&v=1`)));
	}
}

type Create = (autoRemove?: boolean) => Promise<string>;

function containerFor(api: EngineApi, work: Work, shape: Shape, networkMode: string | undefined): Create {
	return async (autoRemove = false) => {
		const {Id} = await api.call<{Id: string}>('POST', '/containers/create', {
			Image: work.image,
			Cmd: work.cmd,
			WorkingDir: work.workdir,
			Labels: work.labels,
			AttachStdout: shape.attach,
			AttachStderr: shape.attach,
			HostConfig: {
				Binds: work.binds,
				NetworkMode: networkMode,
				AutoRemove: autoRemove,
				Init: shape.init || undefined,
				...(shape.logs === 'none' && {LogConfig: {Type: 'none', Config: {}}}),
				...(shape.unmasked && {MaskedPaths: [], ReadonlyPaths: []}),
				...(shape.unconfined && {SecurityOpt: ['seccomp=unconfined']}),
			},
		});
		return Id;
	};
}

async function runOne(api: EngineApi, create: Create, shape: Shape): Promise<void> {
	const id = await create(shape.flow === 'auto-remove');
	const output = shape.attach ? handled(drained(await api.attach(id))) : Promise.resolve();
	if (shape.flow === 'plain') {
		await api.call('POST', `/containers/${id}/start`);
		await exited(await api.open('POST', `/containers/${id}/wait`), id);
	} else {
		const condition = shape.flow === 'auto-remove' ? 'removed' : 'next-exit';
		const wait = await api.open('POST', `/containers/${id}/wait?condition=${condition}`);
		await api.call('POST', `/containers/${id}/start`);
		await exited(wait, id);
	}

	await output;
	if (shape.flow !== 'auto-remove') {
		await api.call('DELETE', `/containers/${id}?force=1&v=1`);
	}
}

/** Create ahead, remove behind: the slot's path is start → wait, the rest overlaps it. */
async function aheadSlot(api: EngineApi, create: Create, take: () => number | undefined): Promise<void> {
	const removals: Array<Promise<unknown>> = [];
	const soon = () => (take() === undefined ? undefined : handled(create()));
	let ready = soon();
	try {
		while (ready) {
			// eslint-disable-next-line no-await-in-loop
			const id = await ready;
			// eslint-disable-next-line no-await-in-loop
			await api.call('POST', `/containers/${id}/start`);
			ready = soon();
			// eslint-disable-next-line no-await-in-loop
			await exited(await api.open('POST', `/containers/${id}/wait`), id);
			removals.push(handled(api.call('DELETE', `/containers/${id}?force=1&v=1`)));
		}
	} finally {
		await Promise.allSettled([ready, ...removals]);
	}

	await Promise.all(removals);
}

/** A promise awaited later: its rejection is not unhandled meanwhile. */
function handled<T>(promise: Promise<T>): Promise<T> {
	promise.catch(() => undefined);
	return promise;
}

async function exited(wait: IncomingMessage, id: string): Promise<void> {
	const text = await body(wait);
	const {StatusCode} = JSON.parse(text) as {StatusCode?: number};
	if (wait.statusCode !== 200 || StatusCode !== 0) {
		throw new Error(`container ${id.slice(0, 12)}: wait ${wait.statusCode} ${text.trim()}`);
	}
}

async function drained(stream: NodeJS.ReadableStream): Promise<void> {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	for await (const _ of stream) {
		// The output itself is not the point; reading it is.
	}
}

/** A slot's long-lived container: the network namespace its containers join, or where its files run as execs. */
async function holder(api: EngineApi, work: Work, forExec: boolean): Promise<string> {
	const {Id} = await api.call<{Id: string}>('POST', '/containers/create', {
		Image: forExec ? work.image : 'baleen-test-shell',
		Cmd: ['sleep', '100000'],
		Labels: work.labels,
		...(forExec && {WorkingDir: work.workdir}),
		HostConfig: {LogConfig: {Type: 'none', Config: {}}, ...(forExec && {Binds: work.binds})},
	});
	await api.call('POST', `/containers/${Id}/start`);
	return Id;
}

async function execOne(api: EngineApi, container: string, cmd: string[]): Promise<void> {
	const {Id} = await api.call<{Id: string}>('POST', `/containers/${container}/exec`, {Cmd: cmd, AttachStdout: true, AttachStderr: true});
	await drained(await api.open('POST', `/exec/${Id}/start`, {Detach: false, Tty: false}));
	const {ExitCode} = await api.call<{ExitCode: number}>('GET', `/exec/${Id}/json`);
	if (ExitCode !== 0) {
		throw new Error(`exec in ${container.slice(0, 12)}: exit ${ExitCode}`);
	}
}
