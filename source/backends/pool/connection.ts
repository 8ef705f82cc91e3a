import {existsSync, readFileSync} from 'node:fs';
import {Agent} from 'node:https';
import {homedir} from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import {BaleenError} from '../../errors.js';
import type {Endpoint} from './contexts.js';

/** The keys ssh tries when no agent is there, in its own order. */
const identities = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
How an `ssh://` engine is reached: docker-modem opens an SSH connection (the `ssh2` package) and runs
`docker system dial-stdio` on the host, as the docker CLI does, so the host needs the docker CLI. It
authenticates with the agent of SSH_AUTH_SOCK, else with the first of ~/.ssh's default keys.
*/
function sshOptions(url: URL, environment: NodeJS.ProcessEnv): Docker.DockerOptions {
	const key = identities.map(name => path.join(environment.HOME || homedir(), '.ssh', name)).find(file => existsSync(file));
	if (!environment.SSH_AUTH_SOCK && !key) {
		throw new BaleenError(`cannot reach ${url.href}: no ssh agent (SSH_AUTH_SOCK) and no key in ~/.ssh (${identities.join(', ')})`);
	}

	return {
		protocol: 'ssh',
		host: url.hostname,
		port: url.port || 22,
		username: decodeURIComponent(url.username) || environment.USER,
		sshOptions: {
			...(environment.SSH_AUTH_SOCK && {agent: environment.SSH_AUTH_SOCK}),
			...(key && {privateKey: readFileSync(key)}),
		},
	};
}

/**
dockerode's options for an endpoint, every key given: docker-modem starts from what DOCKER_HOST and its
friends say, and a key left out would be taken from there.
*/
export function dockerOptions(endpoint: Endpoint, environment: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
	const none = {socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined};
	const url = new URL(endpoint.host);
	switch (url.protocol) {
		case 'unix:': {
			return {...none, socketPath: url.pathname, protocol: 'http'};
		}

		case 'ssh:': {
			return {...none, ...sshOptions(url, environment)};
		}

		case 'tcp:': {
			const base = {...none, host: url.hostname, port: url.port || (endpoint.tls ? 2376 : 2375)};
			const {tls} = endpoint;
			if (!tls) {
				return {...base, protocol: 'http'};
			}

			const read = (file?: string) => (file ? readFileSync(file) : undefined);
			return {
				...base,
				protocol: 'https',
				ca: read(tls.ca),
				cert: read(tls.cert),
				key: read(tls.key),
				...(!tls.verify && {agent: new Agent({rejectUnauthorized: false})}),
			};
		}

		default: {
			throw new BaleenError(`${endpoint.name}: baleen reaches engines at unix://, tcp:// or ssh:// URLs, not ${url.protocol}//`);
		}
	}
}
