/**
The helper way of a slot: the slot's container runs one shell loop as its pid 1, attached once (stdin,
stdout, stderr). A request is a line with a fresh nonce, the file's script, and the nonce again on a
line of its own (plain lines, so any POSIX sh reads it without a decoder). The helper runs the script
under `setsid` with stdin from /dev/null, waits, kills everything but itself (`kill -9 -1` from pid 1)
and reaps, then reports. Two framings of the output:

- `stream`: the file writes straight to the helper's stdout and stderr, which the engine keeps apart;
  the helper ends each with the nonce (and on stdout the exit code). The nonce is found anywhere, so
  output with no trailing newline is exact; a file cannot guess the next nonce.
- `files`: the file writes to two files in the container; the helper prints a header with the nonce,
  the exit code and both sizes, then both files: nothing of the output reaches baleen until the end.
- `archive`: the same two files, but the helper reports only the nonce and exit code and baleen reads
  the files with the engine's archive API (what `docker cp` does), one request more per file.
*/
import {randomBytes} from 'node:crypto';
import {pipeline} from 'node:stream/promises';
import tar from 'tar-stream';
import {demux} from './demux.js';
import {body, type EngineApi} from './engine-api.js';
import {quote} from './measure.js';
import {createSlotContainer, type FileRun, killAllButInit, killFromOutside, type OpenSlot, type Outcome, removeContainer, withTimeout} from './slot.js';

export type Framing = 'stream' | 'files' | 'archive';

const readRequest = `while IFS= read -r nonce; do
script=
while IFS= read -r line && [ "$line" != "$nonce" ]; do script="$script$line
"; done`;

const finish = `wait $!; code=$?; ${killAllButInit}; wait`;

const helpers: Record<Framing, string> = {
	stream: `${readRequest}
setsid sh -c "$script" </dev/null & ${finish}
printf '%s %s\\n' "$nonce" "$code"; printf '%s\\n' "$nonce" >&2
done`,
	files: `${readRequest}
setsid sh -c "$script" </dev/null >/tmp/.baleen-out 2>/tmp/.baleen-err & ${finish}
printf '%s %s %s %s\\n' "$nonce" "$code" $(stat -c %s /tmp/.baleen-out /tmp/.baleen-err); cat /tmp/.baleen-out /tmp/.baleen-err
done`,
	archive: `mkdir -p /tmp/.baleen
${readRequest}
setsid sh -c "$script" </dev/null >/tmp/.baleen/out 2>/tmp/.baleen/err & ${finish}
printf '%s %s 0 0\\n' "$nonce" "$code"
done`,
};

/** The file's script with its workdir and environment first; a workdir that is missing fails the file (126). */
export const request = (nonce: string, file: FileRun) => [
	nonce,
	`cd ${quote(file.workdir ?? '/')} || exit 126`,
	...Object.entries(file.env ?? {}).map(([key, value]) => `export ${key}=${quote(value)}`),
	file.script,
	nonce,
	'',
].join('\n');

/** What the reader of a slot's stream waits for: the end of the current file's output. */
type Pending = {nonce: Buffer; stdout: Buffer; stderr: Buffer; resolve: (outcome: Omit<Outcome, 'timedOut'>) => void; reject: (error: Error) => void};

export const openHelperSlot = (framing: Framing): OpenSlot => async (api, options) => {
	const container = await createSlotContainer(api, options, ['sh', '-c', helpers[framing]], {
		OpenStdin: true,
		StdinOnce: false,
		AttachStdin: true,
		AttachStdout: true,
		AttachStderr: true,
	});
	const connection = await api.attach(container, {stdin: true});
	await api.call('POST', `/containers/${container}/start`);
	let pending: Pending | undefined;
	let failure: Error | undefined;
	const fail = (error: Error) => {
		failure = error;
		pending?.reject(error);
	};

	const check = framing === 'stream' ? streamEnded : filesEnded;
	connection.on('data', demux({
		stdout(chunk) {
			if (pending) {
				pending.stdout = Buffer.concat([pending.stdout, chunk]);
				check(pending);
			}
		},
		stderr(chunk) {
			if (pending) {
				pending.stderr = Buffer.concat([pending.stderr, chunk]);
				check(pending);
			}
		},
	}));
	connection.on('error', fail);
	connection.on('close', () => {
		fail(new Error(`the helper in ${container.slice(0, 12)} ended`));
	});

	return {
		async run(file) {
			if (failure) {
				throw failure;
			}

			const nonce = randomBytes(16).toString('hex');
			const outcome = new Promise<Omit<Outcome, 'timedOut'>>((resolve, reject) => {
				pending = {
					nonce: Buffer.from(nonce),
					stdout: Buffer.alloc(0),
					stderr: Buffer.alloc(0),
					resolve(value) {
						pending = undefined;
						resolve(value);
					},
					reject(error) {
						pending = undefined;
						reject(error);
					},
				};
			});
			connection.write(request(nonce, file));
			const output = framing === 'archive' ? outcome.then(async ({code}) => ({code, ...await outputFiles(api, container)})) : outcome;
			return withTimeout(file, async () => killFromOutside(api, container), output.then(value => ({...value, timedOut: false})));
		},
		async close() {
			connection.removeAllListeners('close');
			connection.destroy();
			await removeContainer(api, container);
		},
	};
};

/** `stream`: done when stdout holds `nonce code\n` and stderr `nonce\n`; what comes before each is the file's. */
function streamEnded(pending: Pending): void {
	const out = pending.stdout.indexOf(pending.nonce);
	const newline = out === -1 ? -1 : pending.stdout.indexOf('\n', out);
	const error = pending.stderr.indexOf(Buffer.concat([pending.nonce, Buffer.from('\n')]));
	if (newline !== -1 && error !== -1) {
		pending.resolve({
			code: Number(pending.stdout.subarray(out + pending.nonce.length + 1, newline).toString()),
			stdout: pending.stdout.subarray(0, out),
			stderr: pending.stderr.subarray(0, error),
		});
	}
}

/** `files`: done when stdout holds the header `nonce code outSize errSize\n` and that many bytes after it. */
function filesEnded(pending: Pending): void {
	const newline = pending.stdout.indexOf('\n');
	if (newline === -1) {
		return;
	}

	const [nonce, code, outSize, errSize] = pending.stdout.subarray(0, newline).toString().split(' ');
	if (nonce !== pending.nonce.toString()) {
		pending.reject(new Error(`the helper answered ${pending.stdout.subarray(0, 80).toString()}`));
		return;
	}

	const start = newline + 1;
	const end = start + Number(outSize) + Number(errSize);
	if (pending.stdout.length >= end) {
		pending.resolve({
			code: Number(code),
			stdout: pending.stdout.subarray(start, start + Number(outSize)),
			stderr: pending.stdout.subarray(start + Number(outSize), end),
		});
	}
}

/** `archive`: the file's two output files, read out of the container as a tar of their folder. */
async function outputFiles(api: EngineApi, container: string): Promise<{stdout: Buffer; stderr: Buffer}> {
	const response = await api.open('GET', `/containers/${container}/archive?path=/tmp/.baleen`);
	if ((response.statusCode ?? 500) >= 400) {
		throw new Error(`archive of ${container.slice(0, 12)}: ${response.statusCode} ${await body(response)}`);
	}

	const files = new Map<string, Buffer>();
	const extract = tar.extract();
	extract.on('entry', (header, entry, next) => {
		const chunks: Buffer[] = [];
		entry.on('data', (chunk: Buffer) => chunks.push(chunk));
		entry.on('end', () => {
			files.set(header.name, Buffer.concat(chunks));
			next();
		});
	});
	await pipeline(response, extract);
	return {stdout: files.get('.baleen/out') ?? Buffer.alloc(0), stderr: files.get('.baleen/err') ?? Buffer.alloc(0)};
}
