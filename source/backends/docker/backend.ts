import {catchError, defer, map, mergeMap, of} from 'rxjs';
import {BaleenError} from '../../errors.js';
import type {Backend, Job, JobEvent} from '../backend.js';
import {ahead, aheadKey, type Ahead} from './ahead.js';
import {buildImage} from './build.js';
import {runContainer} from './container.js';
import {dockerEngine} from './dockerode.js';
import {engineBinds, type EngineBinds} from './engine-binds.js';
import {errorMessage, type ContainerSpec, type Engine, type ImageInfo} from './engine.js';
import {runInSlot} from './in-slot.js';
import {slotContainers, type SlotContainers} from './slot-containers.js';
import {watchedForOom} from './out-of-memory.js';
import {isLost, withOutages, type WatchedEngine} from './outages.js';
import type {Surroundings} from './own-container.js';
import {cannotHold, sandboxes, type Sandboxes} from './sandboxes.js';
import {sentHeader} from '../../resources/probe.js';

/**
What the engine says when a container cannot join its slot's holder: the holder stopped, went, or its
process is gone (runc then fails to enter the namespace, or loses its child while it does).
*/
const holderGone = (message: string, holder: string) => message.includes(holder) || /namespace path: .*no such file|can't get final child's PID/i.test(message);

/** What a job's file may find of an earlier file of its slot where its results and artifacts are copied out from: cleared before it runs. */
const cleared = ({copyOut}: Job) => [...(copyOut?.results === undefined ? [] : [copyOut.results]), ...(copyOut?.artifacts?.paths ?? [])];

/** Networks whose containers have no namespace of their own to share. */
const sharesNothing = (network: string | undefined) => network === 'host' || network?.startsWith('container:');

async function reach(engine: Engine): Promise<void> {
	try {
		await engine.ping();
	} catch (error) {
		throw new BaleenError(`cannot reach the Docker engine at ${engine.name} (${errorMessage(error)}); start it, or set DOCKER_HOST to use another engine`);
	}
}

/** The image (its id: what the run's files run in, whatever the name points at later). */
async function requireImage(engine: Engine, image: string): Promise<ImageInfo> {
	const found = await engine.image(image);
	if (!found) {
		throw new BaleenError(`image "${image}" is not on the Docker engine at ${engine.name}; build or pull it there first`);
	}

	return found;
}

/**
One Docker-compatible engine (Docker, Podman) as a backend: each job in a container of its own, the
jobs of a slot in the network namespace its holder keeps (see sandboxes.ts). It serves one run at a time.
*/
export function dockerBackend(engine: Engine = dockerEngine(), surroundings?: Surroundings): Backend {
	let held: Sandboxes | undefined;
	/** `--isolate slot`: the slots' containers. */
	let slotted: SlotContainers | undefined;
	let binds: EngineBinds | undefined;
	// What the jobs use: the engine riding out its restarts. Preparing does not wait: an engine that is not there fails the run at once.
	let live: WatchedEngine = withOutages(engine);
	let made: Ahead = ahead(live, live.generation);

	const networkMode = async ({slot, spec}: Job) => (held && slot !== undefined ? held.networkMode(slot) : spec.network);
	const inSlot = (job: Job) => slotted !== undefined && job.slot !== undefined && !job.fresh;
	const container = async (job: Job): Promise<ContainerSpec> => {
		const {network, ...spec} = job.spec;
		return {
			...spec,
			// A slot's container counts its OOM kills itself (see slot-helper.ts).
			...(spec.limits?.memoryBytes !== undefined && !inSlot(job) && {cmd: watchedForOom(spec.cmd)}),
			binds: binds ? binds.translate(spec.binds) : spec.binds,
			networkMode: await networkMode(job),
		};
	};

	return {
		name: engine.name,

		async prepare({image, build, signal, sandboxes: wanted, slots, network, engineWaitMs, binds: given = []}) {
			live = withOutages(engine, engineWaitMs);
			made = ahead(live, live.generation);
			await reach(engine);
			binds = await engineBinds(engine, given, surroundings);
			if (build) {
				const before = await engine.image(image);
				await buildImage({directory: build.directory, tag: image, labels: build.labels, signal}, engine, build.onLine);
				// The image the tag named before an earlier --build made it: untagged now, and only in the way.
				const after = await engine.image(image);
				if (before && before.id !== after?.id && before.labels['baleen.context'] !== undefined) {
					await engine.removeImage(before.id);
				}
			}

			const {id: imageId, entrypoint} = await requireImage(engine, image);
			slotted = slots && slotContainers(live, {...slots, ...(entrypoint && {entrypoint}), generation: live.generation});
			const notes = binds.note ? [binds.note] : [];
			if (wanted && !sharesNothing(network)) {
				held = sandboxes(live, {image, network, labels: wanted.labels, generation: live.generation});
				const why = await cannotHold(held).catch((error: unknown) => {
					throw new BaleenError(`cannot keep a network namespace${network ? ` on the network "${network}"` : ''} on the Docker engine at ${engine.name}: ${errorMessage(error)}`);
				});
				if (why) {
					held = undefined;
					notes.push(`each file gets a network namespace of its own: the image cannot keep one for a slot (${why})`);
				}
			}

			return {slots: await engine.cpus(), notes, imageId};
		},

		run(job, stop$) {
			const engine = live;
			const sandbox = held;
			let generation = engine.generation();
			let mode: string | undefined;
			return defer(async () => {
				await engine.ready();
				generation = engine.generation();
				const spec = await container(job);
				mode = spec.networkMode;
				return spec;
			}).pipe(
				mergeMap(spec => {
					const run = {engine, spec, stop$, file: job.file, copy: job.copyOut, keep: job.keep, ...(job.marker && job.copyOut?.results !== undefined && {sentHeader: sentHeader(job.marker)})};
					return slotted && inSlot(job)
						? runInSlot({...run, slots: slotted, slot: job.slot!, request: {cmd: spec.cmd, env: spec.env, clear: cleared(job), results: job.copyOut?.results}})
						: runContainer({...run, made: made.take(aheadKey(job), job.slot, spec.networkMode)});
				}),
				catchError((error: unknown) => of<JobEvent>({type: 'failed', message: errorMessage(error), ...(isLost(error) && {lost: true})})),
				map(event => {
					if (event.type !== 'failed' || event.lost) {
						return event;
					}

					// The engine came back from going away while the job ran: whatever failed, the restart is the likelier cause.
					if (engine.generation() !== generation) {
						return {...event, lost: true};
					}

					// The slot's holder is gone (killed from outside, or by a restart no call saw): the slot gets a new one and the file another go.
					const holder = mode?.startsWith('container:') ? mode.slice('container:'.length) : undefined;
					if (sandbox && holder && job.slot !== undefined && holderGone(event.message, holder)) {
						sandbox.replace(job.slot, holder);
						return {...event, lost: true};
					}

					return event;
				}),
			);
		},

		ahead(job) {
			if (slotted && inSlot(job)) {
				const slots = slotted;
				// A failure here is the slot's first job's to tell: it makes the container again.
				container(job).then(spec => {
					slots.warm(job.slot!, spec);
				}, () => undefined);
				return;
			}

			if (job.slot !== undefined && !inSlot(job)) {
				const engine = live;
				made.make(aheadKey(job), job.slot, async () => {
					const spec = await container(job);
					return {id: await engine.create(spec), networkMode: spec.networkMode};
				});
			}
		},

		async sweep(runId) {
			return engine.removeLabelled({'baleen.run': runId});
		},

		async close() {
			const closing = held;
			const unused = made;
			const slots = slotted;
			held = undefined;
			slotted = undefined;
			made = ahead(live, live.generation);
			// The containers made ahead go first: they may live in a holder's namespace.
			await unused.close();
			await closing?.close();
			await slots?.close();
		},
	};
}
