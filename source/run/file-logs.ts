import {createHash} from 'node:crypto';
import {accessSync, closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import {BaleenError} from '../errors.js';

/** Makes `--output-dir` (and the folders above it) before the run, or says in one line why it cannot be. */
export function makeOutputDir(directory: string): void {
	try {
		mkdirSync(directory, {recursive: true});
		accessSync(directory, constants.W_OK);
	} catch (error) {
		throw new BaleenError(`cannot write to --output-dir ${directory}: ${(error as Error).message}`);
	}
}

/** Longer names are cut and told apart by a hash: most filesystems take 255 bytes a name. */
const nameBytes = 200;

/**
One part of a test file's path as a folder name any filesystem takes and no shell misreads: letters,
digits and `._-` kept, every other byte (`%` too) as `%XX`, so that two names never meet; `.` and `..`
stay names, not steps.
*/
export function safeName(part: string): string {
	const encoded = [...Buffer.from(part, 'utf8')]
		.map(byte => (/[\w.-]/.test(String.fromCodePoint(byte)) && byte < 0x80 ? String.fromCodePoint(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
		.join('');
	const named = encoded === '.' || encoded === '..' || encoded === '' ? encoded.replaceAll('.', '%2E') || '%' : encoded;
	return named.length > nameBytes ? `${named.slice(0, nameBytes - 13)}~${createHash('sha256').update(part).digest('hex').slice(0, 12)}` : named;
}

/** The folder of one test file in the output dir: `files/` and its path, each part a safe name. */
export function fileFolder(outputDir: string, file: string): string {
	return path.join(outputDir, 'files', ...file.split('/').map(part => safeName(part)));
}

/** The folder of one part of a split file: inside the file's (`part-2`), so that parts running at once keep their own output. */
export const partFolder = (folder: string, part?: {index: number}): string => (part ? path.join(folder, `part-${part.index}`) : folder);

export type StreamLogs = {
	write(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
	/** Takes the last `bytes` off what a stream's file holds: bytes the container wrote that were not the test's (see resources/probe.ts). */
	drop(stream: 'stdout' | 'stderr', bytes: number): void;
	close(): void;
};

/**
A file's whole stdout and stderr, each written to its own file as it comes. Written synchronously, a
chunk at a time: nothing waits in memory for the disk, however much the test prints. A write that
fails (a full disk) ends the logs, not the run.
*/
export function streamLogs(folder: string): StreamLogs {
	mkdirSync(folder, {recursive: true});
	const files = {
		stdout: openSync(path.join(folder, 'stdout.log'), 'w'),
		stderr: openSync(path.join(folder, 'stderr.log'), 'w'),
	};
	let open = true;
	const close = () => {
		if (open) {
			open = false;
			closeSync(files.stdout);
			closeSync(files.stderr);
		}
	};

	return {
		write(stream, chunk) {
			try {
				for (let written = 0; open && written < chunk.length;) {
					written += writeSync(files[stream], chunk, written);
				}
			} catch {
				close();
			}
		},
		drop(stream, bytes) {
			try {
				if (open) {
					ftruncateSync(files[stream], Math.max(0, fstatSync(files[stream]).size - bytes));
				}
			} catch {
				close();
			}
		},
		close,
	};
}
