import {mkdirSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';

/** Written whole beside the file, then renamed over it: a reader never sees half of it, and a crash leaves the old one. `mode`: the new file's, from its first byte. */
export function writeWhole(file: string, text: string, mode?: number): void {
	mkdirSync(path.dirname(file), {recursive: true});
	const partial = `${file}.${process.pid}.partial`;
	writeFileSync(partial, text, mode === undefined ? undefined : {mode});
	renameSync(partial, file);
}
