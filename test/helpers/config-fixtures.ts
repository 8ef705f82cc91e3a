import {randomUUID} from 'node:crypto';
import {realpathSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Docker from 'dockerode';
import type {RunEvent, RunStart, TestEnd} from '../../source/events.js';
import {
	baleen as run, leftovers as containersLeft, suite, type CliResult,
} from './cli.js';

export const repository = fileURLToPath(new URL('../..', import.meta.url));
export const cli = path.join(repository, 'dist/cli.js');
export const docker = new Docker();

/** A fresh folder holding the given files (name → text), by its real path. */
export function folder(files: Record<string, string>): string {
	return realpathSync(suite(files));
}

/** A tag for an image a test builds: its own, so the test removes only that. */
export function testTag(kind: string): string {
	return `baleen-test-${kind}-${randomUUID().slice(0, 8)}:latest`;
}

/** Runs the built CLI (no terminal, so JSON lines on stdout) and collects what it said. */
export async function baleen(args: string[], cwd: string): Promise<CliResult> {
	return run(args, {cwd});
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

/** How many containers of one run were still on the engine; they are removed, so that a failing test leaves nothing. */
export async function leftovers(runId: string): Promise<number> {
	return containersLeft(runId).length;
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
