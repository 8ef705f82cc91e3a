import {hostname} from 'node:os';

/** Something of baleen's on an engine, with the labels that tell whose it is. */
export type Labelled = {
	/** What it is on its engine: a `service`, `container`, `image`, or a thing of another backend's. */
	kind: string;
	id: string;
	/** How a person finds it: a container's name, an image's tags. */
	name: string;
	labels: Record<string, string>;
	/** An image no tag points at any more. */
	dangling?: boolean;
};

/** What decides whether an earlier run is over: this host, which of its processes live, the time. */
export type Now = {
	host: string;
	isAlive(pid: number): boolean;
	now: number;
};

export const here = (): Now => ({
	host: hostname(),
	isAlive(pid) {
		try {
			process.kill(pid, 0);
			return true;
		} catch (error) {
			// EPERM: a process of another user holds the pid, so it lives.
			return (error as NodeJS.ErrnoException).code === 'EPERM';
		}
	},
	now: Date.now(),
});

/**
How long the start of a run leaves an image `--keep-failed` kept: a day, time enough to step into it
after a CI run; `baleen clean` removes them at once.
*/
export const keptForMs = 24 * 60 * 60 * 1000;

/**
Why a thing is left over from an earlier run, or undefined while that run may still be going: its
baleen process is gone (known only for runs of this host), or it is past its `baleen.deadline` (the
run's timeout and a minute; the only sign for a run of another host). An image is a leftover once no
tag points at it: a `--build` whose tag a later build took. An image `--keep-failed` kept is one once
`keptFor` milliseconds have passed since (at once without it).
*/
export function leftoverReason(thing: Labelled, now: Now, keptFor?: number): string | undefined {
	const kept = thing.labels['baleen.kept'];
	if (thing.kind === 'image' && kept !== undefined) {
		const keptAt = Date.parse(kept);
		return keptFor === undefined || !Number.isFinite(keptAt) || now.now - keptAt >= keptFor ? `kept by --keep-failed at ${kept}` : undefined;
	}

	if (thing.kind === 'image') {
		return thing.dangling ? 'built by an earlier --build, no longer tagged' : undefined;
	}

	const owner = thing.labels['baleen.owner'] ?? '';
	const separator = owner.lastIndexOf(':');
	const pid = Number(owner.slice(separator + 1));
	if (separator > 0 && owner.slice(0, separator) === now.host && Number.isInteger(pid) && pid > 0 && !now.isAlive(pid)) {
		return `its baleen (pid ${pid}) is gone`;
	}

	const deadline = Date.parse(thing.labels['baleen.deadline'] ?? '');
	if (Number.isFinite(deadline) && deadline < now.now) {
		return `past its deadline, ${thing.labels['baleen.deadline']}`;
	}

	return undefined;
}

/** One line for `baleen clean`: what it is, whose, and why it goes. */
export function leftoverLine(thing: Labelled, reason: string): string {
	const run = thing.labels['baleen.run'];
	const role = thing.labels['baleen.role'];
	const file = thing.labels['baleen.file'];
	const whose = [run && `run ${run}`, role, file].filter(Boolean).join(', ');
	return `${thing.kind} ${thing.id.replace(/^sha256:/, '').slice(0, 12)} ${thing.name}${whose ? ` (${whose})` : ''}: ${reason}`;
}

/**
The order things go in: what a scheduler holds first (a service takes its task's container with it, and
the kinds of other backends are theirs to order), then containers; an image a container still uses cannot go before it.
*/
export const removalOrder = (things: readonly Labelled[]): string[] => {
	const known = ['container', 'image'];
	const kinds = [...new Set(things.map(({kind}) => kind))];
	return [...kinds.filter(kind => !known.includes(kind)), ...known.filter(kind => kinds.includes(kind))];
};

/** "3 containers and 1 image" (and services, on a Swarm manager), for the line a run's start says. */
export function countWords(things: readonly Labelled[]): string {
	return removalOrder(things)
		.map(kind => [kind, things.filter(thing => thing.kind === kind).length] as const)
		.map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`)
		.join(' and ');
}
