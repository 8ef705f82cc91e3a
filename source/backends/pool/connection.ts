import {readFileSync} from 'node:fs';
import {Agent} from 'node:https';
import type Docker from 'dockerode';
import {BaleenError} from '../../errors.js';
import type {Endpoint} from './contexts.js';
import {sshAgent} from './ssh.js';

/**
dockerode's options for an endpoint, every key given: docker-modem starts from what DOCKER_HOST and its
friends say, and a key left out would be taken from there.
*/
export function dockerOptions(endpoint: Endpoint): Docker.DockerOptions {
	const none = {socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined};
	const url = new URL(endpoint.host);
	switch (url.protocol) {
		case 'unix:': {
			return {...none, socketPath: url.pathname, protocol: 'http'};
		}

		case 'ssh:': {
			// Plain HTTP over the connections the agent makes: each is an `ssh` process to the host.
			return {...none, protocol: 'http', host: 'localhost', ...{agent: sshAgent(url)}};
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
