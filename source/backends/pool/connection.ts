import {readFileSync} from 'node:fs';
import {Agent as HttpAgent} from 'node:http';
import {Agent} from 'node:https';
import type Docker from 'dockerode';
import {BaleenError} from '../../errors.js';
import type {EngineAt} from '../docker/dockerode.js';
import type {EngineChoice} from './choice.js';
import {contextEndpoint, hostEndpoint, type Endpoint} from './contexts.js';
import {sshAgent} from './ssh.js';
import {keptConnection, type KeptConnection} from './ssh-master.js';

/**
An engine the run names, as the docker CLI would reach it: its name for people and dockerode's options
(kept-alive and fresh connections); over ssh, both through the one master a run keeps (`kept`).
*/
export function reach(choice: EngineChoice, environment: NodeJS.ProcessEnv): EngineAt {
	const endpoint = 'host' in choice ? hostEndpoint(choice.host, environment) : contextEndpoint(choice.context, environment);
	const url = new URL(endpoint.host);
	const kept = url.protocol === 'ssh:' ? keptConnection(url) : undefined;
	return {
		name: endpoint.name,
		options: dockerOptions(endpoint, {kept}),
		pingOptions: dockerOptions(endpoint, {keepAlive: false, kept}),
		...(kept && {kept}),
	};
}

/**
dockerode's options for an endpoint, every key given: docker-modem starts from what DOCKER_HOST and its
friends say, and a key left out would be taken from there. Without `keepAlive`, every request has a
connection of its own: what a ping needs to tell an engine that is going away (see freshConnections).
*/
export function dockerOptions(endpoint: Endpoint, {keepAlive = true, kept}: {keepAlive?: boolean; kept?: KeptConnection} = {}): Docker.DockerOptions {
	const none = {socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined};
	const url = new URL(endpoint.host);
	switch (url.protocol) {
		case 'unix:': {
			return {...none, socketPath: url.pathname, protocol: 'http', ...(!keepAlive && {agent: new HttpAgent({keepAlive})})};
		}

		case 'ssh:': {
			// Plain HTTP over the connections the agent makes: each a channel of the master while it is up, else an `ssh` process to the host.
			return {...none, protocol: 'http', host: 'localhost', ...{agent: sshAgent(url, {keepAlive, ...(kept && {route: kept.route})})}};
		}

		case 'tcp:': {
			const base = {...none, host: url.hostname, port: url.port || (endpoint.tls ? 2376 : 2375)};
			const {tls} = endpoint;
			if (!tls) {
				return {...base, protocol: 'http', ...(!keepAlive && {agent: new HttpAgent({keepAlive})})};
			}

			const read = (file?: string) => (file ? readFileSync(file) : undefined);
			return {
				...base,
				protocol: 'https',
				ca: read(tls.ca),
				cert: read(tls.cert),
				key: read(tls.key),
				...((!tls.verify || !keepAlive) && {agent: new Agent({keepAlive, rejectUnauthorized: tls.verify})}),
			};
		}

		default: {
			throw new BaleenError(`${endpoint.name}: baleen reaches engines at unix://, tcp:// or ssh:// URLs, not ${url.protocol}//`);
		}
	}
}
