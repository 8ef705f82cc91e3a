import {createWriteStream, mkdirSync} from 'node:fs';
import path from 'node:path';
import {Transform, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import tar from 'tar-stream';
import type {Copied, CopyOut} from '../backend.js';
import {errorMessage, type Engine} from './engine.js';
import type {SentResults} from './trailer.js';

/** A results file bigger than this is not read: a JUnit report of even a huge file is a few MiB. */
export const resultsLimitBytes = 32 * 1024 * 1024;

const missing = (file: string) => `no such file or folder in the container: ${file}`;

/**
Passes the archive on, and fails it once the engine has sent nothing for `ms`: a copy of any size goes
on while data comes, and one from an engine that stopped answering ends (see deadlines.ts).
*/
function stallDeadline(engine: Engine): Transform {
	const ms = engine.callTimeoutMs;
	let timer: NodeJS.Timeout | undefined;
	const guard: Transform = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			arm();
			done(undefined, chunk);
		},
		flush(done) {
			clearTimeout(timer);
			done();
		},
		destroy(error, done) {
			clearTimeout(timer);
			done(error);
		},
	});
	function arm() {
		clearTimeout(timer);
		if (ms !== undefined) {
			timer = setTimeout(() => {
				guard.destroy(new Error(`the Docker engine at ${engine.name} sent nothing of a copy out of a container for ${ms / 1000} s`));
			}, ms);
		}
	}

	arm();
	return guard;
}

/** Each entry of a tar stream in turn; `entry` consumes (or drains) its body before the next one comes. */
async function eachEntry(engine: Engine, archive: NodeJS.ReadableStream, entry: (header: tar.Headers, body: NodeJS.ReadableStream) => Promise<void>): Promise<void> {
	const extract = tar.extract();
	extract.on('entry', (header, body, next) => {
		entry(header, body).then(() => {
			body.resume(); // Whatever the handler left unread, so that the next entry comes.
			next();
		}, (error: unknown) => {
			extract.destroy(error as Error);
		});
	});
	await pipeline(archive, stallDeadline(engine), extract);
}

const tooBig = (file: string, bytes: number) => `${file} is ${bytes} bytes, more than the ${resultsLimitBytes} a results file may be`;

/** The results file a slot's helper sent after the file (see slot-helper.ts), as read from an archive. */
function sentResults(file: string, {bytes, data}: SentResults): NonNullable<Copied['results']> {
	return data === undefined || bytes > resultsLimitBytes ? {path: file, problem: tooBig(file, bytes)} : {path: file, text: data.toString('utf8')};
}

/** The text of the one file a path names: Docker archives it as a single entry under its own name. */
async function readResults(engine: Engine, id: string, file: string): Promise<NonNullable<Copied['results']>> {
	const archive = await engine.archive(id, file);
	if (!archive) {
		return {path: file, problem: `${missing(file)} (the framework wrote no results there)`};
	}

	let text: string | undefined;
	let problem = `${file} is not a file`;
	await eachEntry(engine, archive, async (header, body) => {
		if (text !== undefined || header.type !== 'file') {
			return;
		}

		if ((header.size ?? 0) > resultsLimitBytes) {
			problem = tooBig(file, header.size ?? 0);
			return;
		}

		const chunks: Buffer[] = [];
		await pipeline(body, new Writable({
			write(chunk: Buffer, _encoding, done) {
				chunks.push(chunk);
				done();
			},
		}));
		text = Buffer.concat(chunks).toString('utf8');
	});
	return text === undefined ? {path: file, problem} : {path: file, text};
}

/**
Where an entry of the archive goes under `into`, or undefined for one that would land outside it. The
engine names entries relative to the path's parent; a hostile image could still send `../`.
*/
function target(into: string, name: string): string | undefined {
	const relative = path.posix.normalize(name.replace(/^\/+/, ''));
	if (relative === '..' || relative.startsWith('../') || relative === '.' || relative === '') {
		return undefined;
	}

	return path.join(into, ...relative.split('/'));
}

/** Copies one path of the container, file or folder, into `into` under its own name; links and devices are left out. */
async function copyArtifact(engine: Engine, id: string, file: string, into: string): Promise<{path: string; problem?: string}> {
	const archive = await engine.archive(id, file);
	if (!archive) {
		return {path: file, problem: missing(file)};
	}

	mkdirSync(into, {recursive: true});
	await eachEntry(engine, archive, async (header, body) => {
		const to = target(into, header.name);
		if (!to) {
			return;
		}

		if (header.type === 'directory') {
			mkdirSync(to, {recursive: true});
		} else if (header.type === 'file') {
			mkdirSync(path.dirname(to), {recursive: true});
			// Streamed to disk: an artifact of any size costs a chunk of memory at a time.
			await pipeline(body, createWriteStream(to));
		}
	});
	return {path: file};
}

/**
What a job asked to bring out of its container, once the process ended and before the container goes.
Never rejects: each path that could not be copied says why, and the others are copied all the same.
`sent`: the results file as a slot's helper already sent it, read from no archive.
*/
export async function copyOut(engine: Engine, id: string, wanted: CopyOut, sent?: SentResults): Promise<Copied> {
	const copied: Copied = {};
	if (wanted.results !== undefined) {
		const file = wanted.results;
		copied.results = sent ? sentResults(file, sent) : await readResults(engine, id, file).catch((error: unknown) => ({path: file, problem: `cannot read ${file}: ${errorMessage(error)}`}));
	}

	if (wanted.artifacts) {
		const {paths, into} = wanted.artifacts;
		copied.artifacts = [];
		for (const file of paths) {
			// One after another: each is a stream from the engine, written to disk as it comes.
			// eslint-disable-next-line no-await-in-loop
			copied.artifacts.push(await copyArtifact(engine, id, file, into).catch((error: unknown) => ({path: file, problem: `cannot copy ${file}: ${errorMessage(error)}`})));
		}
	}

	return copied;
}
