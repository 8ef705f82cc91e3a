import {StringDecoder} from 'node:string_decoder';

/**
Keeps the last `limit` bytes written to it and counts them all, so that a file printing gigabytes
costs a bounded amount of memory. The bytes are copied into one buffer that grows to `limit` and then
wraps around: printing costs no allocation per chunk, no chunk is retained, and a tail that is `reset`
for the next file costs no allocation at all.
*/
export class Tail {
	#buffer = Buffer.alloc(0);
	/** Where the next byte goes: the end of what is kept until the buffer is full, then the oldest byte. */
	#end = 0;
	#total = 0;

	constructor(readonly limit: number) {}

	/** Forgets what it kept and counted, keeping its buffer: the tail of a slot, for its next file. */
	reset(): void {
		this.#end = 0;
		this.#total = 0;
	}

	get bytes(): number {
		return this.#total;
	}

	write(chunk: Uint8Array): void {
		this.#total += chunk.length;
		const piece = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
		this.#grow(Math.min(this.limit, this.#total));
		const first = Math.min(piece.length, this.limit - this.#end);
		this.#buffer.set(piece.subarray(0, first), this.#end);
		this.#buffer.set(piece.subarray(first), 0);
		this.#end = (this.#end + piece.length) % this.limit;
	}

	toString(): string {
		if (this.#total <= this.limit) {
			return this.#buffer.toString('utf8', 0, this.#total);
		}

		// Oldest first; a character cut by the wrap is joined again by the decoder.
		const decoder = new StringDecoder('utf8');
		const text = decoder.write(this.#buffer.subarray(this.#end)) + decoder.write(this.#buffer.subarray(0, this.#end)) + decoder.end();
		// A cut in the middle of a multi-byte character decodes as U+FFFD; drop that partial character.
		return text.replace(/^\uFFFD+/, '');
	}

	/** The last `size` bytes it kept (fewer when it kept fewer), as text: a look at the stream's very end that decodes no more. */
	ending(size: number): string {
		const kept = Math.min(this.#total, this.limit);
		const wanted = Math.min(size, kept);
		const from = this.#end - wanted;
		const last = from >= 0
			? this.#buffer.subarray(from, this.#end)
			: Buffer.concat([this.#buffer.subarray(this.limit + from), this.#buffer.subarray(0, this.#end)]);
		return last.toString('utf8');
	}

	/** At least `size` bytes, doubling, so that a file that prints little costs little. */
	#grow(size: number): void {
		if (size <= this.#buffer.length) {
			return;
		}

		const grown = Buffer.allocUnsafe(Math.min(this.limit, Math.max(size, 2 * this.#buffer.length, 256)));
		// Only before the buffer is full: what it keeps is its first `#end` bytes.
		this.#buffer.copy(grown, 0, 0, this.#end);
		this.#buffer = grown;
	}
}

/** What a file's streams keep. */
export type Tails = Record<'stdout' | 'stderr', Tail>;

export const newTails = (limit: number): Tails => ({stdout: new Tail(limit), stderr: new Tail(limit)});

/** The last line of a chunk of output, for a live view: bounded, without control characters. */
export function lastLine(chunk: Uint8Array, width = 200): string {
	const text = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 4096))).toString('utf8');
	const lines = text.split(/\r?\n|\r/).map(line => line.trim()).filter(Boolean);
	// eslint-disable-next-line no-control-regex
	return (lines.at(-1) ?? '').replace(/\u001B\[[\d;?]*[A-Za-z]|[\u0000-\u001F\u007F]/g, '').slice(0, width);
}
