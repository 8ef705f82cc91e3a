import {Observable, type OperatorFunction} from 'rxjs';
import {shellWord} from '../../shell-word.js';
import type {Output} from '../backend.js';
import {resultsBytes, splitAtMarker, view, type SentResults} from './trailer.js';

/**
The program of a slot's container (`--isolate slot`), its pid 1: a POSIX shell loop, attached once,
that runs one file at a time. A request is a line with a fresh nonce, the file's script, and the nonce
again on a line of its own: plain lines any `sh` reads without a decoder. The file runs in a shell of
its own with stdin from /dev/null, writing straight to the container's stdout and stderr, which the
engine keeps apart. Once it ended, `kill -9 -1` ends every process but pid 1 (what a process group or
session kill would miss: a daemon that left its session too), and the loop reaps them. Then it says
the file ended: on stdout the nonce, the exit code and the cgroup's count of OOM kills so far; on
stderr the nonce. A file cannot guess the next nonce, so nothing it prints ends its output early, and
output without a trailing newline is told exactly.

A request may name the file's results file (the line after the first nonce; empty for none). Once the
file's processes are gone it cannot change, and the loop sends it on stdout after the status line, up to
the nonce again: \`sent\` at the status line's end. That saves the engine's archive call per file, which
costs about 160 ms here (the engine starts a process of its own to read a running container's files).
A results file that is not there, or an image without \`cat\`, says so instead, and baleen copies it out
as from a container of its own, which names what is wrong.
*/
export const helperProgram = `while IFS= read -r baleen_nonce && IFS= read -r baleen_results; do
baleen_script=
while IFS= read -r baleen_line && [ "$baleen_line" != "$baleen_nonce" ]; do baleen_script="$baleen_script$baleen_line
"; done
sh -c "$baleen_script" </dev/null & wait $!; baleen_code=$?
kill -9 -1 2>/dev/null; wait
baleen_ooms=0
for baleen_counts in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control; do
[ -r "$baleen_counts" ] || continue
while read -r baleen_key baleen_count; do [ "$baleen_key" = oom_kill ] && baleen_ooms=$baleen_count; done < "$baleen_counts"
done
printf '%s %s %s' "$baleen_nonce" "$baleen_code" "$baleen_ooms"
if [ -n "$baleen_results" ] && [ -f "$baleen_results" ] && command -v cat >/dev/null; then
printf ' sent\\n'; cat -- "$baleen_results"; printf '%s' "$baleen_nonce"
else printf '\\n'; fi
printf '%s\\n' "$baleen_nonce" >&2
done`;

/** Ends a running file from outside the loop (an exec): every process but pid 1 and itself. Through sh: Debian's minbase has no `kill` program. */
export const killFile = ['sh', '-c', 'kill -9 -1 2>/dev/null'];

/**
One file as the loop runs it: its command (entrypoint first), its env over the image's, paths cleared
before it starts, and the results file to send back after it (a path on a line: one with a line break is
left to the archive copy).
*/
export type SlotRequest = {cmd: readonly string[]; env: readonly string[]; clear?: readonly string[]; results?: string};

/**
The request's text. What an earlier file of the slot left at the paths the file's results and artifacts
are copied out of is cleared first, so that only the file's own come out. `env` sets the variables
whatever their names (the shell's `export` takes only identifiers).
*/
export function slotRequest(nonce: string, {cmd, env, clear = [], results = ''}: SlotRequest): string {
	const words = (list: readonly string[]) => list.map(word => shellWord(word)).join(' ');
	return [
		nonce,
		results.includes('\n') ? '' : results,
		...(clear.length > 0 ? [`rm -rf -- ${words(clear)}`] : []),
		`exec env ${words([...env, ...cmd])}`,
		nonce,
		'',
	].join('\n');
}

/** What a slot tells of one file: its output as it comes, then its end, with its results file's bytes when the loop sent them. */
export type SlotEvent = ({type: 'output'} & Output) | {type: 'end'; exitCode: number; ooms: number; results?: SentResults};

/**
The bytes up to `marker`, fed in chunks: undefined until the marker came. Only a tail shorter than the
marker is searched again, so a big file costs one copy; past `keepAtMost` bytes only the count is kept.
*/
function bytesUntil(marker: Buffer, keepAtMost: number): (chunk: Buffer) => SentResults | undefined {
	const file = resultsBytes(keepAtMost);
	let tail: Buffer = Buffer.alloc(0);
	return chunk => {
		const split = splitAtMarker(tail, chunk, marker);
		file.add(split.told);
		tail = split.held;
		return split.after === undefined ? undefined : file.sent();
	};
}

/**
The output of the file whose request carried `nonce`, out of the slot's output, then its end: each
stream's output up to its nonce, told as it comes (but for a tail that may be the nonce's start). Completes
after the end; a slot whose output ends before it errors.
*/
export function fileOutput(nonce: string, keepAtMost = Number.POSITIVE_INFINITY): OperatorFunction<Output, SlotEvent> {
	const marker = Buffer.from(nonce);
	return source => new Observable<SlotEvent>(subscriber => {
		const held: Record<Output['stream'], Buffer> = {stdout: Buffer.alloc(0), stderr: Buffer.alloc(0)};
		const ended = {stdout: false, stderr: false};
		let line = Buffer.alloc(0);
		let status: {exitCode: number; ooms: number} | undefined;
		let results: ((chunk: Buffer) => SentResults | undefined) | undefined;
		let end: SlotEvent | undefined;

		/** What comes on stdout after the nonce: the status line, in pieces, then the results file when it says `sent`. */
		const afterNonce = (bytes: Buffer) => {
			if (end) {
				return;
			}

			if (status && results) {
				const sent = results(bytes);
				end = sent && {type: 'end', ...status, results: sent};
				return;
			}

			line = Buffer.concat([line, bytes]);
			const newline = line.indexOf('\n');
			if (newline !== -1) {
				const [code = '', ooms = '0', sent] = line.subarray(0, newline).toString().trim().split(' ');
				status = {exitCode: code === '' ? Number.NaN : Number(code), ooms: Number(ooms)};
				if (sent === 'sent') {
					results = bytesUntil(marker, keepAtMost);
					afterNonce(line.subarray(newline + 1));
				} else {
					end = {type: 'end', ...status};
				}
			}
		};

		return source.subscribe({
			next({stream, chunk}) {
				if (ended[stream]) {
					if (stream === 'stdout') {
						afterNonce(view(chunk));
					}
				} else {
					const split = splitAtMarker(held[stream], chunk, marker);
					if (split.told.length > 0) {
						subscriber.next({type: 'output', stream, chunk: split.told});
					}

					held[stream] = split.held;
					ended[stream] = split.after !== undefined;
					if (split.after && stream === 'stdout') {
						afterNonce(split.after);
					}
				}

				if (end && ended.stderr) {
					subscriber.next(end);
					subscriber.complete();
				}
			},
			error(error: unknown) {
				subscriber.error(error);
			},
			complete() {
				subscriber.error(new Error('the slot\'s container ended while a file ran in it'));
			},
		});
	});
}
