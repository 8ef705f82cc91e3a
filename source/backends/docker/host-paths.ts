import {realpathSync} from 'node:fs';
import path from 'node:path';

/** One mount of the container baleen runs in, as its engine tells it: `source` on the engine's host, `destination` inside. */
export type Mount = {source: string; destination: string};

/**
Where the engine's host has a path of this container: through the mount whose destination is the
longest prefix of it; undefined when the path lies in no mount (the container's own filesystem).
*/
export function hostPath(file: string, mounts: readonly Mount[]): string | undefined {
	const absolute = path.posix.resolve('/', file);
	const [mount] = mounts
		.filter(mount => mount.source !== '')
		.map(mount => ({source: mount.source, destination: path.posix.resolve('/', mount.destination)}))
		.filter(({destination}) => absolute === destination || absolute.startsWith(destination.endsWith('/') ? destination : `${destination}/`))
		.sort((a, b) => b.destination.length - a.destination.length);
	return mount && path.posix.join(mount.source, path.posix.relative(mount.destination, absolute));
}

/** Binds (`SRC:DST[:mode]`) as the engine's host has them, or the first source it cannot see. */
export type HostBinds = {binds: string[]} | {unseen: string};

/** The path with no symlink in it; as it is when it cannot be read (it is checked to exist long before). */
function real(file: string): string {
	try {
		return realpathSync.native(file);
	} catch {
		return file;
	}
}

/**
Each bind's source taken through its symlinks first (the engine sees real paths), then through the
container's mounts.
*/
export function hostBinds(binds: readonly string[], mounts: readonly Mount[], realpath: (file: string) => string = real): HostBinds {
	const translated: string[] = [];
	for (const bind of binds) {
		const [source = '', ...rest] = bind.split(':');
		const host = hostPath(realpath(source), mounts);
		if (host === undefined) {
			return {unseen: source};
		}

		translated.push([host, ...rest].join(':'));
	}

	return {binds: translated};
}
