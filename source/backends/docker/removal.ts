import type Docker from 'dockerode';
import type {EngineError} from './engine.js';

/**
The one rule for every removal of baleen's: Docker answers 404 for a thing already gone and 409 for a
removal already under way; either way it goes, and the removal is done.
*/
export function unlessGone(error: unknown): void {
	const {statusCode} = error as EngineError;
	if (statusCode !== 404 && statusCode !== 409) {
		throw error;
	}
}

/** The containers carrying every one of these labels (`key=value`, or `key` for any value), stopped ones too. */
export async function labelledContainers(docker: Docker, labels: readonly string[]): Promise<Docker.ContainerInfo[]> {
	return docker.listContainers({all: true, filters: {label: [...labels]}});
}

/** Removes a container whatever its state, with its anonymous volumes. */
export async function removeContainer(docker: Docker, id: string): Promise<void> {
	await docker.getContainer(id).remove({force: true, v: true}).catch(unlessGone);
}

/** Labels as the engine's filters take them: `key=value`. */
export const labelFilter = (labels: Record<string, string>) => Object.entries(labels).map(([key, value]) => `${key}=${value}`);
