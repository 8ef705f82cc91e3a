import {randomUUID} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import Docker from 'dockerode';
import type {RunEvent, TestEnd} from '../../source/events.js';

export const repository = fileURLToPath(new URL('../..', import.meta.url));
export const docker = new Docker();

/** A tag for an image a test builds: its own, so the test removes only that. */
export function testTag(kind: string): string {
	return `baleen-test-${kind}-${randomUUID().slice(0, 8)}:latest`;
}

/** Each file's status and exit code, by file. */
export function results(events: RunEvent[]): Record<string, string> {
	const ends = events.filter((event): event is TestEnd => event.type === 'test-end');
	return Object.fromEntries(ends.map(end => [end.file, `${end.status} ${end.exitCode}`]));
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
