/**
The Docker Engine API over its unix socket with nothing but node:http, so that the benches' baseline
costs what the engine costs and no client library's overhead. Only what the raw loop needs.
*/
import http, {type IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import {UsageError} from './measure.js';
import {type Session} from './session.js';

export type EngineApi = {
	/** Sends a request and resolves at the response's headers, for requests whose body comes later (wait). */
	open: (method: string, path: string, body?: unknown) => Promise<IncomingMessage>;
	/** Sends a request and resolves with its JSON body (undefined when empty); rejects on a status of 400 or more. */
	call: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
	/** Attaches to a container's output (and its stdin if asked), hijacking the connection as the Docker client does. */
	attach: (id: string, options?: {stdin?: boolean}) => Promise<Duplex>;
	close: () => void;
};

export function socketPath(host = process.env.DOCKER_HOST): string {
	if (!host) {
		return '/var/run/docker.sock';
	}

	if (!host.startsWith('unix://')) {
		throw new UsageError(`the raw Engine API loop talks to a unix socket only, not DOCKER_HOST=${host}`);
	}

	return host.slice('unix://'.length);
}

export async function body(response: IncomingMessage): Promise<string> {
	let text = '';
	for await (const chunk of response) {
		text += String(chunk);
	}

	return text;
}

export function engineApi(path = socketPath()): EngineApi {
	const agent = new http.Agent({keepAlive: true, maxSockets: Number.POSITIVE_INFINITY});
	const send = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
		const json = payload === undefined ? undefined : JSON.stringify(payload);
		return http.request({
			socketPath: path,
			agent,
			method,
			path: url,
			headers: json === undefined ? headers : {...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json)},
		}).end(json);
	};

	const open = async (method: string, url: string, payload?: unknown) => new Promise<IncomingMessage>((resolve, reject) => {
		send(method, url, payload).on('response', resolve).on('error', reject);
	});

	return {
		open,
		async call<T>(method: string, url: string, payload?: unknown) {
			const response = await open(method, url, payload);
			const text = await body(response);
			if ((response.statusCode ?? 500) >= 400) {
				throw new Error(`${method} ${url}: ${response.statusCode} ${text.trim()}`);
			}

			return (text ? JSON.parse(text) : undefined) as T;
		},
		async attach(id, {stdin = false} = {}) {
			return new Promise<Duplex>((resolve, reject) => {
				send('POST', `/containers/${id}/attach?stream=1&stdout=1&stderr=1${stdin ? '&stdin=1' : ''}`, undefined, {connection: 'Upgrade', upgrade: 'tcp'})
					.on('upgrade', (_response, socket) => {
						resolve(socket);
					})
					.on('response', async response => {
						reject(new Error(`attach ${id}: ${response.statusCode} ${await body(response)}`));
					})
					.on('error', reject);
			});
		},
		close() {
			agent.destroy();
		},
	};
}

/**
Removes every container that carries `label` (`key=value`), whatever its state. A create still in flight
shows up a moment later, so it looks again until two looks apart find none.
*/
export async function removeLabelled(api: EngineApi, label: string): Promise<void> {
	const filters = encodeURIComponent(JSON.stringify({label: [label]}));
	for (let empty = 0, attempt = 0; empty < 2 && attempt < 50; attempt++) {
		// eslint-disable-next-line no-await-in-loop
		const containers = await api.call<Array<{Id: string}>>('GET', `/containers/json?all=1&filters=${filters}`);
		empty = containers.length === 0 ? empty + 1 : 0;
		// eslint-disable-next-line no-await-in-loop
		await Promise.all(containers.map(async ({Id}) => api.call('DELETE', `/containers/${Id}?force=1&v=1`).catch(() => undefined)));
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 250);
		});
	}
}

/** The machine a bench ran on, for its first line and docs/performance.md. */
export async function describeEngine(api: EngineApi): Promise<string> {
	const info = await api.call<{NCPU: number; ServerVersion: string; Driver: string; CgroupVersion?: string; Containers: number; ContainersRunning: number}>('GET', '/info');
	return `${info.NCPU} CPUs, Docker ${info.ServerVersion}, ${info.Driver}, cgroup v${info.CgroupVersion ?? '?'}; ${info.ContainersRunning} containers running at the start`;
}

/** The engine for a bench: closed, and everything labelled with the bench's id removed, when the session closes. */
export function benchEngine(bench: Session): {api: EngineApi; label: string; labels: Record<string, string>} {
	const api = engineApi();
	const label = `baleen.bench=${bench.id}`;
	bench.defer(() => {
		api.close();
	});
	bench.defer(async () => removeLabelled(api, label));
	return {api, label, labels: {'baleen.bench': bench.id}};
}
