import {catchError, defer, mergeMap, of} from 'rxjs';
import {BaleenError} from '../../errors.js';
import type {Backend, Job} from '../backend.js';
import {buildImage} from './build.js';
import {runContainer} from './container.js';
import {dockerEngine} from './dockerode.js';
import {errorMessage, type Engine} from './engine.js';
import {cannotHold, sandboxes, type Sandboxes} from './sandboxes.js';

/** Networks whose containers have no namespace of their own to share. */
const sharesNothing = (network: string | undefined) => network === 'host' || network?.startsWith('container:');

async function reach(engine: Engine): Promise<void> {
	try {
		await engine.ping();
	} catch (error) {
		throw new BaleenError(`cannot reach the Docker engine at ${engine.name} (${errorMessage(error)}); start it, or set DOCKER_HOST to use another engine`);
	}
}

async function requireImage(engine: Engine, image: string): Promise<void> {
	if (!await engine.image(image)) {
		throw new BaleenError(`image "${image}" is not on the Docker engine at ${engine.name}; build or pull it there first`);
	}
}

/**
One Docker-compatible engine (Docker, Podman) as a backend: each job in a container of its own, the
jobs of a slot in the network namespace its holder keeps (see sandboxes.ts). It serves one run at a time.
*/
export function dockerBackend(engine: Engine = dockerEngine()): Backend {
	let held: Sandboxes | undefined;

	const networkMode = async ({slot, spec}: Job) => (held && slot !== undefined ? held.networkMode(slot) : spec.network);

	return {
		name: engine.name,

		async prepare({image, build, signal, sandboxes: wanted, network}) {
			await reach(engine);
			if (build) {
				const before = await engine.image(image);
				await buildImage({directory: build.directory, tag: image, labels: build.labels, signal}, engine, build.onLine);
				// The image the tag named before an earlier --build made it: untagged now, and only in the way.
				const after = await engine.image(image);
				if (before && before.id !== after?.id && before.labels['baleen.context'] !== undefined) {
					await engine.removeImage(before.id);
				}
			}

			await requireImage(engine, image);
			const notes: string[] = [];
			if (wanted && !sharesNothing(network)) {
				held = sandboxes(engine, {image, network, labels: wanted.labels});
				const why = await cannotHold(held).catch((error: unknown) => {
					throw new BaleenError(`cannot keep a network namespace${network ? ` on the network "${network}"` : ''} on the Docker engine at ${engine.name}: ${errorMessage(error)}`);
				});
				if (why) {
					held = undefined;
					notes.push(`each file gets a network namespace of its own: the image cannot keep one for a slot (${why})`);
				}
			}

			return {slots: await engine.cpus(), notes};
		},

		run(job, stop$) {
			const {network, ...spec} = job.spec;
			return defer(async () => networkMode(job)).pipe(
				mergeMap(mode => runContainer(engine, {...spec, networkMode: mode}, stop$, job.file, job.copyOut)),
				catchError((error: unknown) => of({type: 'failed' as const, message: errorMessage(error)})),
			);
		},

		async sweep(runId) {
			return engine.removeLabelled({'baleen.run': runId});
		},

		async close() {
			const closing = held;
			held = undefined;
			await closing?.close();
		},
	};
}
