import {Observable, type OperatorFunction} from 'rxjs';
import type {Output} from '../backend.js';
import type {SentResults} from './slot-helper.js';

/** How long a tail of `text` is a start of `marker`: those bytes may be the marker's, held back until the next chunk tells. */
export function markerStart(text: Buffer, marker: Buffer): number {
	for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
		if (text.subarray(text.length - length).equals(marker.subarray(0, length))) {
			return length;
		}
	}

	return 0;
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
		let held = Buffer.alloc(0);
		/** After the header: the size line as it comes, then the file's bytes. */
		let line: Buffer | undefined;
		let file: {size: number; bytes: number; chunks: Buffer[]} | undefined;
		let done = false;

		const take = (bytes: Buffer) => {
			if (!file) {
				line = Buffer.concat([line!, bytes]);
				const newline = line.indexOf('\n');
				if (newline === -1) {
					return;
				}

				const size = Number(line.subarray(0, newline).toString().trim());
				file = {size: Number.isSafeInteger(size) && size >= 0 ? size : Number.NaN, bytes: 0, chunks: []};
				bytes = line.subarray(newline + 1);
			}

			const part = bytes.subarray(0, Math.max(0, file.size - file.bytes));
			file.bytes += part.length;
			if (file.bytes <= keepAtMost) {
				file.chunks.push(part);
			} else {
				file.chunks.length = 0;
			}

			if (file.bytes === file.size) {
				done = true;
				subscriber.next({type: 'sent', results: {bytes: file.size, ...(file.size <= keepAtMost && {data: Buffer.concat(file.chunks)})}});
			}
		};

		return source.subscribe({
			next(output) {
				if (output.stream === 'stdout') {
					subscriber.next(output);
				} else if (line !== undefined) {
					if (!done) {
						take(Buffer.from(output.chunk));
					}
				} else {
					const text = held.length > 0 ? Buffer.concat([held, output.chunk]) : Buffer.from(output.chunk);
					const at = text.indexOf(marker);
					const told = at === -1 ? text.length - markerStart(text, marker) : at;
					if (told > 0) {
						subscriber.next({stream: 'stderr', chunk: text.subarray(0, told)});
					}

					held = at === -1 ? text.subarray(told) : Buffer.alloc(0);
					if (at !== -1) {
						line = Buffer.alloc(0);
						take(text.subarray(at + marker.length));
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
