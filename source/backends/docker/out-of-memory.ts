import type {Engine} from './engine.js';

/** Where a container's command leaves word that the OOM killer ended one of its processes (see watchedForOom). */
export const oomMarker = '/tmp/.baleen-out-of-memory';

/**
The kernel's own count of OOM kills in the container's memory cgroup, as the container sees it: cgroup v2's
`memory.events` (in the container's own cgroup namespace, Docker's and Podman's default there), v1's
`memory.oom_control` (its `oom_kill` line since Linux 4.13). Both are counted before the killed process
dies, so a parent that has seen its child end reads the kill in them.
*/
const oomCounts = ['/sys/fs/cgroup/memory.events', '/sys/fs/cgroup/memory/memory.oom_control'];

/** Shell builtins only: all the image is known to have is the /bin/sh that runs every file. */
const countLooked = `baleen_status=$?
for baleen_counts in ${oomCounts.join(' ')}; do
	[ -r "$baleen_counts" ] || continue
	while read -r baleen_key baleen_count; do
		if [ "$baleen_key" = oom_kill ] && [ "$baleen_count" -gt 0 ]; then
			{ : > ${oomMarker}; } 2>/dev/null
		fi
	done < "$baleen_counts"
done
exit "$baleen_status"`;

/**
A container's command, run by a shell that, once it has ended, looks at the kernel's count of OOM kills
while the container's cgroup is still there, and leaves the marker when there was one; the command's
exit status is the container's all the same. The engine's own word is not enough: containerd's shim on
cgroup v1 loses the OOM of a process that goes over its limit within moments of its start (no `oom`
event, no OOMKilled), and the cgroup is gone by the time `wait` answers.
*/
export function watchedForOom(cmd: string[]): string[] {
	return ['/bin/sh', '-c', `"$@"\n${countLooked}`, 'sh', ...cmd];
}

/**
Whether the OOM killer ended a process of a container that has exited: the marker its command left, or,
when the shell that leaves it was the one killed or could not write to /tmp, the engine's word (an
`oom` event seen, or the state).
*/
export async function killedForMemory(engine: Engine, id: string, eventSeen: boolean): Promise<boolean> {
	return eventSeen
		|| await engine.hasFile(id, oomMarker).catch(() => false)
		|| engine.oomKilled(id).catch(() => false);
}
