import {existsSync, rmSync} from 'node:fs';
import {errorMessage} from '../backends/docker/engine.js';
import type {Where} from '../backends/module.js';
import {backends as registry, leftoverStores, type Backends, type EngineStores} from '../backends/registry.js';
import {BaleenError} from '../errors.js';
import {countWords, keptForMs, leftoverLine} from '../cleanup/leftovers.js';
import {removeLeftovers} from '../cleanup/remove.js';
import {keptFolders, type History} from '../plan/history.js';

/** `baleen clean [--dry-run]` on one engine: a line for each leftover of earlier runs, removed unless it is a dry run. */
async function cleanEngine({name, stores}: EngineStores, dryRun: boolean): Promise<string[]> {
	let found;
	try {
		found = await removeLeftovers(stores, {dryRun});
	} catch (error) {
		throw new BaleenError(`cannot clean up on ${name}: ${errorMessage(error)}`);
	}

	const lines = found.map(({thing, reason}) => `${dryRun ? 'would remove' : 'removed'} ${leftoverLine(thing, reason)}`);
	const things = found.map(({thing}) => thing);
	return [...lines, found.length === 0
		? `nothing left by earlier runs on ${name}`
		: `${dryRun ? 'would remove' : 'removed'} ${countWords(things)} on ${name}${dryRun ? '; run baleen clean to remove them' : ''}`];
}

/** `baleen clean [--dry-run]`: what every backend's runs left on the engines named (else the one a run would use). */
export async function clean(where: Where, {dryRun = false, backends = registry}: {dryRun?: boolean; backends?: Backends} = {}): Promise<string[]> {
	return (await Promise.all(leftoverStores(where, backends).map(async engine => cleanEngine(engine, dryRun)))).flat();
}

/** `baleen clean`: the env files of the containers `--keep-failed` kept go with their images (a line when there were some). */
export function cleanKeptEnv(history: Pick<History, 'timings'>, {dryRun = false}: {dryRun?: boolean} = {}): string[] {
	const folder = keptFolders(history);
	if (!existsSync(folder)) {
		return [];
	}

	if (!dryRun) {
		rmSync(folder, {recursive: true, force: true});
	}

	return [`${dryRun ? 'would remove' : 'removed'} the env files of the kept images in ${folder}`];
}

/**
What a run's start says after removing what earlier runs left on its engines, a line an engine that had
some (named when there are several); the images `--keep-failed` kept only once a day old. Nothing stops the run: an engine that cannot be named or does not
answer is told by the run's own checks.
*/
export async function sweepBeforeRun(where: Where, backends: Backends = registry): Promise<string[]> {
	let engines: EngineStores[] = [];
	try {
		engines = leftoverStores(where, backends);
	} catch {}

	const lines = await Promise.all(engines.map(async ({name, stores}) => {
		const found = await removeLeftovers(stores, {keptFor: keptForMs}).catch(() => []);
		const line = `removed ${countWords(found.map(({thing}) => thing))} left by earlier runs (baleen clean --dry-run lists such leftovers)`;
		return found.length === 0 ? [] : [engines.length > 1 ? `${name}: ${line}` : line];
	}));
	return lines.flat();
}
