import type {Backend} from './backend.js';
import {dockerBackend} from './docker/backend.js';

/** Where files run when nobody says: the Docker engine of DOCKER_HOST, or the local socket. */
export function defaultBackend(): Backend {
	return dockerBackend();
}
