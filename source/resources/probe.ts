import {shellWord} from '../shell-word.js';

/**
How a file's container measures itself. Its cgroup goes with it, so the figures are read from inside
while it still lives: the test's script runs in a subshell (its `exit`, its traps and its exit code stay
its own, and its words travel as the positional arguments they were), then the container's shell reads
its own cgroup files and writes them as the last bytes of its stderr, between two lines of the run's
marker (see `measuredEnd`): no engine call, no file in the container. Only the results file may follow
them (see `send`), and the backend takes it out of the output.

Only shell builtins (`read`, `printf`, redirections) read and write them, so an image that has `/bin/sh`
needs nothing more (busybox or a distro alike), and a file that cannot be read is silent: its figure is
then absent. An image without a shell runs no command of baleen's at all, and a container killed before
its shell writes them (timed out, cancelled) has none.

cgroup v1 keeps no peak of its processes: there, a subshell samples `pids.current` every
`sampleSeconds` (a `sleep` between samples; without a `sleep`, only the first and last samples count)
and appends each higher one it sees, less itself, to `sampledFile`, where the shell put a first sample of
its own before the file ran (without a writable /tmp, no `pidsPeak`). A
burst of processes shorter than a sample is not seen: the figure is a floor. cgroup v2 (`pids.peak`,
from Linux 6.1) needs no sampling. On v2 the files are read only from the container's own cgroup
(`cgroup.type` exists in every cgroup but the root): a container sharing the host's cgroup namespace
would otherwise read the whole machine's.
*/
const sampledFile = '/tmp/.baleen-pids';
const sampleSeconds = 0.2;

const sampler = [
	'baleen_sampler=',
	'for baleen_pids in /sys/fs/cgroup/pids/pids.current /sys/fs/cgroup/pids.current; do',
	'  if [ -r "$baleen_pids" ] && [ ! -r /sys/fs/cgroup/pids.peak ]; then',
	// A first sample before the file runs: one that ends before the sampler's first look still has a figure.
	`    { read baleen_now < "$baleen_pids" && echo "$baleen_now" > ${sampledFile}; } 2>/dev/null`,
	// Each higher peak is a line appended, never a file rewritten: a sampler ended between a rewrite's truncation and its write left the file empty, and the figure absent.
	`    ( baleen_peak=0; while read baleen_now < "$baleen_pids"; do baleen_now=$((baleen_now - 1)); if [ "$baleen_now" -gt "$baleen_peak" ]; then baleen_peak=$baleen_now; echo "$baleen_peak" >> ${sampledFile}; fi; sleep ${sampleSeconds} || exit 0; done ) 2>/dev/null &`,
	'    baleen_sampler=$!; break',
	'  fi',
	'done',
].join('\n');

/** Each figure a line `name value` of `baleen_figures`; a file that is not there adds none. */
const gather = (marker: string, after: string) => [
	'baleen_status=$?',
	// Waited for, so that no sample is written while the figures are read.
	'[ -n "$baleen_sampler" ] && kill "$baleen_sampler" 2>/dev/null && wait "$baleen_sampler" 2>/dev/null',
	// What the file left running would die with the container a moment later; as its pid 1, the shell ends it now, so that it writes nothing behind the figures.
	// A kill is sent, not done: a process in the middle of a write on another CPU ends it first. Until every other process is a zombie (or gone), the shell waits (a bounded while: one stuck in the kernel must not hold the figures back).
	'baleen_alive() { for baleen_proc in /proc/[0-9]*; do [ "$baleen_proc" = /proc/1 ] && continue; read -r baleen_stat < "$baleen_proc/stat" || continue; case "${baleen_stat##*") "}" in Z*) ;; *) return 0 ;; esac; done 2>/dev/null; return 1; }',
	'[ "$$" = 1 ] && kill -9 -1 2>/dev/null && { baleen_tries=0; while baleen_alive && [ $baleen_tries -lt 1000 ]; do baleen_tries=$((baleen_tries + 1)); done; }',
	'baleen_figures=',
	'baleen_add() { baleen_figures="$baleen_figures$1 $2',
	'"; }',
	'{',
	'  for baleen_name in memory/memory.max_usage_in_bytes cpuacct/cpuacct.usage; do',
	'    read baleen_value < "/sys/fs/cgroup/$baleen_name" && baleen_add "${baleen_name#*/}" "$baleen_value"',
	'  done',
	'  if [ -r /sys/fs/cgroup/cgroup.type ]; then',
	'    read baleen_value < /sys/fs/cgroup/memory.peak && baleen_add memory.peak "$baleen_value"',
	'    read baleen_value < /sys/fs/cgroup/pids.peak && baleen_add pids.peak "$baleen_value"',
	'    while read baleen_name baleen_value; do baleen_add "cpu.stat.$baleen_name" "$baleen_value"; done < /sys/fs/cgroup/cpu.stat',
	'  fi',
	// The last line is the highest sample.
	`  baleen_value=; while read baleen_line; do baleen_value=$baleen_line; done < ${sampledFile}; [ -n "$baleen_value" ] && baleen_add pids.sampled "$baleen_value"`,
	'} 2>/dev/null',
	// One write, so that nothing the file left running can come between the marker's lines.
	`printf '\\n%s\\n%s%s\\n' ${marker} "$baleen_figures" ${marker} >&2`,
	...(after ? [after] : []),
	'exit "$baleen_status"',
].join('\n');

/**
The results file sent after the figures, on stderr behind a line `header SIZE`: the engine's archive call
it saves costs about 160 ms a file here (the engine starts a process to read a container's files).
Only a shell that is the container's pid 1 sends it, having ended whatever the file left running, so
that nothing writes between its bytes; a missing file, or an image without `wc` or `cat`, sends nothing,
and the file is copied out of the container as before. The backend takes it out of the output (see
backends/docker/trailer.ts).
*/
const send = (header: string, results: string) => {
	const file = shellWord(results);
	return `[ "$$" = 1 ] && [ -f ${file} ] && baleen_size=$(wc -c 2>/dev/null < ${file}) && command -v cat >/dev/null && printf '%s %s\\n' ${header} $baleen_size >&2 && cat -- ${file} >&2`;
};

/** The line the results file is sent behind: the run's marker, which no test prints by chance. */
export const sentHeader = (marker: string) => `${marker}-sent`;

/** The line a run's containers write their figures between: the run's own nonce, which no test prints by chance. */
export const resourcesMarker = (nonce: string) => `baleen-resources-${nonce}`;

/** The container's script: the test's own `script` (in a subshell), measured, its figures told behind `marker`, then its `results` file sent. */
export function measured(script: string, marker: string, results?: string): string {
	return `${sampler}\n(\n${script}\n)\n${gather(marker, results === undefined ? '' : send(sentHeader(marker), results))}`;
}
