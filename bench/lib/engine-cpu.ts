/**
Where the CPU of a batch of containers goes, from /proc: dockerd and containerd (long-lived, read
before and after), and each container's containerd-shim with what it reaps (runc and the container's
own processes). Shims are orphans that pid 1 reaps, so pid 1's reaped-children time holds all of
them once they are gone; a poll of the live shims splits that into the shim's own time and its
children's. Whatever else runs on the engine meanwhile (other users' containers) counts too.
*/
import {readdirSync, readFileSync} from 'node:fs';

export type CpuShare = {
	dockerd: number;
	containerd: number;
	shim: number;
	/** runc, docker-init and the container's processes, as reaped by their shim. */
	shimChildren: number;
	/** This process: the client's side of the raw loop. */
	client: number;
};

type Ticks = {own: number; children: number};

const tickMs = 10; // USER_HZ is 100 on Linux

function ticks(pid: number | string): Ticks | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
		return {own: (fields[11]! + fields[12]!) * tickMs, children: (fields[13]! + fields[14]!) * tickMs};
	} catch {
		return undefined; // gone meanwhile
	}
}

function comm(pid: number | string): string {
	try {
		return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
	} catch {
		return '';
	}
}

function pidOf(name: string): number | undefined {
	const pid = readdirSync('/proc').find(entry => /^\d+$/.test(entry) && comm(entry) === name);
	return pid === undefined ? undefined : Number(pid);
}

function shims(): number[] {
	try {
		return readFileSync('/proc/1/task/1/children', 'utf8').trim().split(' ').filter(Boolean).map(Number)
			.filter(pid => comm(pid) === 'containerd-shim');
	} catch {
		return [];
	}
}

const total = (t: Ticks | undefined) => (t ? t.own + t.children : 0);

/** Starts watching; the returned function stops and says what each part spent meanwhile, in ms. */
export function watchCpu(pollMs = 20): () => CpuShare {
	const dockerd = pidOf('dockerd');
	const containerd = pidOf('containerd');
	const start = {
		dockerd: ticks(dockerd ?? 0),
		containerd: ticks(containerd ?? 0),
		reaped: ticks(1)?.children ?? 0,
		client: process.cpuUsage(),
	};
	const before = new Map(shims().map(pid => [pid, ticks(pid)!]));
	const last = new Map<number, Ticks>();
	const poll = () => {
		for (const pid of shims()) {
			const now = ticks(pid);
			if (now) {
				last.set(pid, now);
			}
		}
	};

	const timer = setInterval(poll, pollMs);
	return () => {
		clearInterval(timer);
		poll();
		const live = new Set(shims());
		const since = (pid: number, t: Ticks) => ({own: t.own - (before.get(pid)?.own ?? 0), children: t.children - (before.get(pid)?.children ?? 0)});
		const seen = [...last].map(([pid, t]) => ({live: live.has(pid), ...since(pid, live.has(pid) ? ticks(pid) ?? t : t)}));
		// Exited shims: pid 1's reaped time is exact in sum; the poll's last look splits it, and misses their last moments.
		const reaped = (ticks(1)?.children ?? 0) - start.reaped;
		const polled = seen.filter(shim => !shim.live);
		const polledOwn = polled.reduce((sum, shim) => sum + shim.own, 0);
		const polledChildren = polled.reduce((sum, shim) => sum + shim.children, 0);
		const ownShare = polledOwn + polledChildren > 0 ? polledOwn / (polledOwn + polledChildren) : 0.5;
		const liveOwn = seen.filter(shim => shim.live).reduce((sum, shim) => sum + shim.own, 0);
		const liveChildren = seen.filter(shim => shim.live).reduce((sum, shim) => sum + shim.children, 0);
		const client = process.cpuUsage(start.client);
		return {
			dockerd: total(ticks(dockerd ?? 0)) - total(start.dockerd),
			containerd: total(ticks(containerd ?? 0)) - total(start.containerd),
			shim: (reaped * ownShare) + liveOwn,
			shimChildren: (reaped * (1 - ownShare)) + liveChildren,
			client: (client.user + client.system) / 1000,
		};
	};
}

/** A markdown table of CPU ms per `unit` (container, file), each part summed over the rounds. */
export function cpuTable(cpu: Map<string, CpuShare[]>, files: number, unit: string): string {
	const parts: Array<keyof CpuShare> = ['dockerd', 'containerd', 'shim', 'shimChildren', 'client'];
	const rows = [...cpu].map(([name, shares]) => {
		const per = (part: keyof CpuShare) => shares.reduce((sum, share) => sum + share[part], 0) / (shares.length * files);
		const sum = parts.reduce((all, part) => all + per(part), 0);
		return [name, ...parts.map(part => per(part).toFixed(0)), sum.toFixed(0)];
	});
	const header = [`CPU ms per ${unit}`, 'dockerd', 'containerd', 'shim', 'runc + container', 'client', 'total'];
	return [header, header.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`).join('\n');
}
