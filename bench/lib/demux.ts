/**
The engine's multiplexed stream (attach and exec without a TTY): frames of an 8-byte header (stream
1 stdout, 2 stderr; then the payload's length, big-endian, in bytes 4–7) and the payload. Chunks of
the connection split frames anywhere, so what is short of a whole frame waits for the next chunk.
*/
export type Streams = {stdout: (chunk: Buffer) => void; stderr: (chunk: Buffer) => void};

/** A function to feed the connection's chunks to, in order; it hands each frame's payload to its stream. */
export function demux(streams: Streams): (chunk: Buffer) => void {
	let pending: Buffer = Buffer.alloc(0);
	return chunk => {
		pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
		while (pending.length >= 8) {
			const size = pending.readUInt32BE(4);
			if (pending.length < 8 + size) {
				break;
			}

			const payload = pending.subarray(8, 8 + size);
			(pending[0] === 2 ? streams.stderr : streams.stdout)(payload);
			pending = pending.subarray(8 + size);
		}
	};
}

/** Reads a whole multiplexed stream (an exec's output) into its stdout and stderr. */
export async function collect(stream: AsyncIterable<Buffer>): Promise<{stdout: Buffer; stderr: Buffer}> {
	const stdout: Buffer[] = [];
	const stderr: Buffer[] = [];
	const feed = demux({stdout: chunk => stdout.push(chunk), stderr: chunk => stderr.push(chunk)});
	for await (const chunk of stream) {
		feed(chunk);
	}

	return {stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr)};
}
