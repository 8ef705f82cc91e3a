/**
How a file's container measures itself. Its cgroup goes with it, so the figures are read from inside
while it still lives: the test's script runs in a subshell (its `exit` and its exit code stay its own),
then the container's shell reads its own cgroup files into `resourcesFile`, which the backend brings
out with the other files it copies (see container.ts) and `parseResources` reads.

Only shell builtins (`read`, `echo`, redirections) read them, so an image that has `/bin/sh` needs
nothing more (busybox or a distro alike), and a failure to read or write is silent: the field is then
absent. An image without a shell runs no command of baleen's at all.

cgroup v1 keeps no peak of its processes: there, a subshell samples `pids.current` every
`sampleSeconds` (a `sleep` between samples; without a `sleep`, only the first and last samples count)
and keeps the highest it saw, less itself. A burst of processes shorter than a sample is not seen: the
figure is a floor. cgroup v2 (`pids.peak`, from Linux 6.1) needs no sampling. On v2 the files are read
only from the container's own cgroup (`cgroup.type` exists in every cgroup but the root): a container
sharing the host's cgroup namespace would otherwise read the whole machine's.
*/
export const resourcesFile = '/tmp/.baleen-resources';
const sampledFile = '/tmp/.baleen-pids';
const sampleSeconds = 0.2;

const sampler = [
	'baleen_sampler=',
	'for baleen_pids in /sys/fs/cgroup/pids/pids.current /sys/fs/cgroup/pids.current; do',
	'  if [ -r "$baleen_pids" ] && [ ! -r /sys/fs/cgroup/pids.peak ]; then',
	`    ( baleen_peak=0; while read baleen_now < "$baleen_pids"; do baleen_now=$((baleen_now - 1)); if [ "$baleen_now" -gt "$baleen_peak" ]; then baleen_peak=$baleen_now; echo "$baleen_peak" > ${sampledFile}; fi; sleep ${sampleSeconds} || exit 0; done ) 2>/dev/null &`,
	'    baleen_sampler=$!; break',
	'  fi',
	'done',
].join('\n');

const gather = [
	'baleen_status=$?',
	'[ -n "$baleen_sampler" ] && kill "$baleen_sampler" 2>/dev/null',
	'{',
	'  for baleen_name in memory/memory.max_usage_in_bytes cpuacct/cpuacct.usage; do',
	'    read baleen_value < "/sys/fs/cgroup/$baleen_name" && echo "${baleen_name#*/} $baleen_value"',
	'  done',
	'  if [ -r /sys/fs/cgroup/cgroup.type ]; then',
	'    read baleen_value < /sys/fs/cgroup/memory.peak && echo "memory.peak $baleen_value"',
	'    read baleen_value < /sys/fs/cgroup/pids.peak && echo "pids.peak $baleen_value"',
	'    while read baleen_name baleen_value; do echo "cpu.stat.$baleen_name $baleen_value"; done < /sys/fs/cgroup/cpu.stat',
	'  fi',
	`  read baleen_value < ${sampledFile} && echo "pids.sampled $baleen_value"`,
	`} > ${resourcesFile} 2>/dev/null`,
	'exit "$baleen_status"',
].join('\n');

/** The container's script: the test's own `script` (in a subshell), measured. */
export function measured(script: string): string {
	return `${sampler}\n(\n${script}\n)\n${gather}`;
}
