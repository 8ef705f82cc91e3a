import {existsSync, readFileSync} from 'node:fs';
import {hostname} from 'node:os';

/** What tells where baleen runs: the files a container engine leaves in its containers, and the host name. */
export type Surroundings = {
	exists: (file: string) => boolean;
	/** A file's text; empty when it cannot be read. */
	read: (file: string) => string;
	hostname: string;
};

const here: () => Surroundings = () => ({
	exists: existsSync,
	read(file) {
		try {
			return readFileSync(file, 'utf8');
		} catch {
			return '';
		}
	},
	hostname: hostname(),
});

/**
The files an engine mounts into each container it runs, from its own folder for the container. Only
these name this container: where baleen runs in the engine's own mount namespace (a machine that runs
dockerd in a container of its own), the mounts of every container the engine runs show there too.
*/
const engineMounted = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);

/**
The ids the container baleen runs in may have on its engine, likeliest first; none outside a container.
Docker and Podman mark their containers with `/.dockerenv` and `/run/.containerenv`; the id is in the
paths of the files the engine mounts in (`/var/lib/docker/containers/<id>/hostname` at `/etc/hostname`),
in the cgroup (cgroup v1), or is the host name (unless the container was given another). Only reads a
file or two.
*/
export function ownContainerIds(surroundings: Surroundings = here()): string[] {
	const {exists, read} = surroundings;
	if (!exists('/.dockerenv') && !exists('/run/.containerenv')) {
		return [];
	}

	const mounted = read('/proc/self/mountinfo').split('\n').flatMap(line => {
		const [, , , root = '', mountPoint = ''] = line.split(' ');
		const id = /containers\/([\da-f]{64})\//.exec(root)?.[1];
		return id && engineMounted.has(mountPoint) ? [id] : [];
	});
	const cgroup = [...read('/proc/self/cgroup').matchAll(/[/-]([\da-f]{64})(?:\.scope)?$/gm)].map(match => match[1]!);
	const named = /^[\da-f]{12,64}$/.test(surroundings.hostname) ? [surroundings.hostname] : [];
	return [...new Set([...mounted, ...cgroup, ...named])];
}
