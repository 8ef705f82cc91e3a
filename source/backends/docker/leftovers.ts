import Docker from 'dockerode';
import type {Labelled} from '../../cleanup/leftovers.js';
import {answered, callTimeoutMs} from './deadlines.js';
import {engineName} from './dockerode.js';
import {labelledContainers, removeContainer, unlessGone} from './removal.js';

/** What baleen made on one Docker engine: every labelled container, the images `--build` made, and those `--keep-failed` kept. */
export type EngineStore = {
	list(): Promise<Labelled[]>;
	remove(thing: Labelled): Promise<void>;
};

/** `name`: how the engine is named in messages; DOCKER_HOST's by default, as `new Docker()` reaches it. */
export function dockerStore(docker = new Docker(), environment: NodeJS.ProcessEnv = process.env, name = engineName(environment)): EngineStore {
	const ms = callTimeoutMs(environment);
	return {
		async list() {
			const [containers, built, kept] = await answered(Promise.all([
				labelledContainers(docker, ['baleen.run']),
				docker.listImages({filters: {label: ['baleen.context'], dangling: ['true']}}),
				docker.listImages({filters: {label: ['baleen.kept']}}),
			]), 'a list of what baleen made', name, ms);
			// A kept image of a run whose image --build made carries both labels: it is listed once, as kept.
			const keptIds = new Set(kept.map(({Id}) => Id));
			return [
				...containers.map(({Id, Names, Labels}): Labelled => ({kind: 'container', id: Id, name: Names[0]?.replace(/^\//, '') ?? '', labels: Labels})),
				...built.filter(({Id}) => !keptIds.has(Id)).map(({Id, Labels}): Labelled => ({kind: 'image', id: Id, name: '<none>', labels: Labels ?? {}, dangling: true})),
				...kept.map(({Id, Labels}): Labelled => ({kind: 'image', id: Id, name: '<none>', labels: Labels ?? {}})),
			];
		},

		async remove(thing) {
			await answered(thing.kind === 'container'
				? removeContainer(docker, thing.id)
				: docker.getImage(thing.id).remove({noprune: false}).catch(unlessGone), `the removal of ${thing.kind} ${thing.id.slice(0, 12)}`, name, ms);
		},
	};
}
