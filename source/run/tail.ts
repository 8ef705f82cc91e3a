/**
Keeps the last `limit` bytes written to it and counts them all, so that a file printing gigabytes
costs a bounded amount of memory.
*/
export class Tail {
	#chunks: Uint8Array[] = [];
	#kept = 0;
	#total = 0;

	constructor(readonly limit: number) {}

	get bytes(): number {
		return this.#total;
	}

	write(chunk: Uint8Array): void {
		this.#total += chunk.length;
		const piece = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
		this.#chunks.push(Buffer.from(piece));
		this.#kept += piece.length;
		while (this.#kept - (this.#chunks[0]?.length ?? 0) >= this.limit) {
			this.#kept -= this.#chunks.shift()!.length;
		}
	}

	toString(): string {
		const buffer = Buffer.concat(this.#chunks);
		const text = buffer.subarray(Math.max(0, buffer.length - this.limit)).toString('utf8');
		// A cut in the middle of a multi-byte character decodes as U+FFFD; drop that partial character.
		return this.#total > this.limit ? text.replace(/^\uFFFD+/, '') : text;
	}
}

/** The last line of a chunk of output, for a live view: bounded, without control characters. */
export function lastLine(chunk: Uint8Array, width = 200): string {
	const text = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 4096))).toString('utf8');
	const lines = text.split(/\r?\n|\r/).map(line => line.trim()).filter(Boolean);
	// eslint-disable-next-line no-control-regex
	return (lines.at(-1) ?? '').replace(/\u001B\[[\d;?]*[A-Za-z]|[\u0000-\u001F\u007F]/g, '').slice(0, width);
}
