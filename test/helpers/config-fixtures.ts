import {execFile} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {mkdirSync, mkdtempSync, realpathSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Docker from 'dockerode';
import type {RunEvent, RunStart, TestEnd} from '../../source/events.js';

export const repository = fileURLToPath(new URL('../..', import.meta.url));
export const cli = path.join(repository, 'dist/cli.js');
export const docker = new Docker();

/** A fresh folder holding the given files (name → text). */
export function folder(files: Record<string, string>): string {
	const directory = realpathSync(mkdtempSync(path.join(tmpdir(), 'baleen-config-engine-')));
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(directory, name)), {recursive: true});
		writeFileSync(path.join(directory, name), text);
	}

	return directory;
}

/** A tag for an image a test builds: its own, so the test removes only that. */
export function testTag(kind: string): string {
	return `baleen-test-${kind}-${randomUUID().slice(0, 8)}:latest`;
}

export type Result = {code: number | null; stdout: string; stderr: string; events: RunEvent[]};

/** Runs the built CLI (no terminal, so JSON lines on stdout) and collects what it said. */
export async function baleen(args: string[], cwd: string): Promise<Result> {
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {cwd, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
			const events = stdout.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as RunEvent);
			resolve({code, stdout, stderr, events});
		});
	});
}

export function runStart(events: RunEvent[]): RunStart {
	const start = events.find(event => event.type === 'run-start');
	if (!start) {
		throw new Error('no run-start event');
	}

	return start;
}

/** Each file's status and exit code, by file. */
export function results(events: RunEvent[]): Record<string, string> {
	const ends = events.filter((event): event is TestEnd => event.type === 'test-end');
	return Object.fromEntries(ends.map(end => [end.file, `${end.status} ${end.exitCode}`]));
}

/** The containers of one run still on the engine; removes them too, so that a failing test leaves nothing. */
export async function leftovers(runId: string): Promise<number> {
	const containers = await docker.listContainers({all: true, filters: {label: [`baleen.run=${runId}`]}});
	await Promise.all(containers.map(async ({Id}) => docker.getContainer(Id).remove({force: true}).catch(() => undefined)));
	return containers.length;
}

/** Removes an image this test built, by its own tag; one that was never made is fine. */
export async function removeImage(tag: string): Promise<void> {
	await docker.getImage(tag).remove({force: true}).catch((error: {statusCode?: number}) => {
		if (error.statusCode !== 404) {
			throw error;
		}
	});
}

export async function imageLabels(tag: string): Promise<Record<string, string> | undefined> {
	try {
		const {Config} = await docker.getImage(tag).inspect();
		return Config.Labels ?? {};
	} catch {
		return undefined;
	}
}
