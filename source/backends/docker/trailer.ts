import {Observable, type OperatorFunction} from 'rxjs';
import type {Output} from '../backend.js';

/** A results file sent behind a container's output: its size, and its bytes unless it is bigger than was to be kept. */
export type SentResults = {bytes: number; data?: Buffer};

/** A chunk as a Buffer over the same bytes, not a copy. */
export const view = (chunk: Uint8Array): Buffer => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/** How long a tail of `text` is a start of `marker`: those bytes may be the marker's, held back until the next chunk tells. */
function markerStart(text: Buffer, marker: Buffer): number {
	for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
		if (text.subarray(text.length - length).equals(marker.subarray(0, length))) {
			return length;
		}
	}

	return 0;
}

/**
A stream's next chunk looked through for `marker`, after what was `held` back of the chunks before: the
bytes to tell (all before the marker, else all but a tail that may be its start), the tail to hold back
until the next chunk tells, and once the marker came, the bytes after it.
*/
export function splitAtMarker(held: Buffer, chunk: Uint8Array, marker: Buffer): {told: Buffer; held: Buffer; after?: Buffer} {
	const text = held.length > 0 ? Buffer.concat([held, chunk]) : view(chunk);
	const at = text.indexOf(marker);
	if (at === -1) {
		const told = text.length - markerStart(text, marker);
		return {told: text.subarray(0, told), held: text.subarray(told)};
	}

	return {told: text.subarray(0, at), held: Buffer.alloc(0), after: text.subarray(at + marker.length)};
}

/** A sent results file's bytes as they come: each part counted (`add` says the count so far), kept while they are at most `keepAtMost`. */
export function resultsBytes(keepAtMost: number): {add(part: Buffer): number; sent(): SentResults} {
	const chunks: Buffer[] = [];
	let bytes = 0;
	return {
		add(part) {
			bytes += part.length;
			if (bytes <= keepAtMost) {
				chunks.push(part);
			} else {
				chunks.length = 0;
			}

			return bytes;
		},
		sent: () => ({bytes, ...(bytes <= keepAtMost && {data: Buffer.concat(chunks)})}),
	};
}

/** What a file's container tells after its own output: its results file, sent behind the container's last words (see resources/probe.ts). */
export type Sent = {type: 'sent'; results: SentResults};

/**
A container's output with the results file its script sent at the end of stderr taken out: the line
`header SIZE`, then SIZE bytes, told as `sent` once all came (past `keepAtMost` bytes only the count is
kept). Everything before the header is output as it comes, but for a tail that may be the header's
start; a stream that ends before the header is told whole, one that ends before all the bytes came
tells no `sent` (the file is then copied out of the container as before).
*/
export function resultsTrailer(header: string, keepAtMost = Number.POSITIVE_INFINITY): OperatorFunction<Output, Output | Sent> {
	const marker = Buffer.from(`${header} `);
	return source => new Observable<Output | Sent>(subscriber => {
		let held: Buffer = Buffer.alloc(0);
		/** After the header: the size line as it comes, then the file's bytes. */
		let line: Buffer | undefined;
		let file: {size: number; got: number; bytes: ReturnType<typeof resultsBytes>} | undefined;
		let done = false;

		const take = (bytes: Buffer) => {
			if (!file) {
				line = Buffer.concat([line!, bytes]);
				const newline = line.indexOf('\n');
				if (newline === -1) {
					return;
				}

				const size = Number(line.subarray(0, newline).toString().trim());
				file = {size: Number.isSafeInteger(size) && size >= 0 ? size : Number.NaN, got: 0, bytes: resultsBytes(keepAtMost)};
				bytes = line.subarray(newline + 1);
			}

			file.got = file.bytes.add(bytes.subarray(0, Math.max(0, file.size - file.got)));
			if (file.got === file.size) {
				done = true;
				subscriber.next({type: 'sent', results: file.bytes.sent()});
			}
		};

		return source.subscribe({
			next(output) {
				if (output.stream === 'stdout') {
					subscriber.next(output);
				} else if (line !== undefined) {
					if (!done) {
						take(view(output.chunk));
					}
				} else {
					const split = splitAtMarker(held, output.chunk, marker);
					if (split.told.length > 0) {
						subscriber.next({stream: 'stderr', chunk: split.told});
					}

					held = split.held;
					if (split.after) {
						line = Buffer.alloc(0);
						take(split.after);
					}
				}
			},
			error(error: unknown) {
				subscriber.error(error);
			},
			complete() {
				if (held.length > 0) {
					subscriber.next({stream: 'stderr', chunk: held});
				}

				subscriber.complete();
			},
		});
	});
}
