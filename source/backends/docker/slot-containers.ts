import {randomBytes} from 'node:crypto';
import {connectable, defer, EMPTY, map, merge, Subject, type Observable} from 'rxjs';
import {removeSurely} from './container.js';
import type {ContainerSpec, Engine} from './engine.js';
import {resultsLimitBytes} from './copy-out.js';
import {fileOutput, helperProgram, slotRequest, type SlotEvent, type SlotRequest} from './slot-helper.js';
import type {SentResults} from './trailer.js';

/** A slot's long-lived container (`--isolate slot`): its helper runs the slot's files one at a time. */
export type SlotContainer = {
	id: string;
	/** Runs one file: its output, then its end. Subscribed once a file, one file at a time. */
	run(request: SlotRequest): Observable<FileEvent>;
	/** Whether it may run the slot's next file: its last file ended, with exit code 0, and was not killed for memory. */
	readonly reusable: boolean;
};

/** What a slot's container tells of one file: its output as it comes, then its end. */
export type FileEvent = SlotEvent & {type: 'output'} | {type: 'end'; exitCode: number; outOfMemory: boolean; results?: SentResults};

export type SlotContainers = {
	/** The slot's container for a job of this spec: the one it has, unless made for another spec, worn out or gone; else a new one. */
	take(slot: number, spec: ContainerSpec): Promise<SlotContainer>;
	/** Makes the slot's container for jobs of this spec now, unless it has one, so that its first job finds it made. */
	warm(slot: number, spec: ContainerSpec): void;
	/** The container is not to run another file (it failed, timed out, or is gone): removed, and the slot's next file gets a new one. */
	retire(slot: number, id: string): Promise<void>;
	/** Removes every slot's container. */
	close(): Promise<void>;
};

export type SlotContainersSpec = {
	labels: Record<string, string>;
	/** What the image runs a command with: a file's command is run as the image would run it. */
	entrypoint?: readonly string[];
	/** How many files a container runs before it is replaced; unbounded when absent. */
	reuse?: number;
	/** Changes when the engine came back from going away: the containers it had are gone with it (see outages.ts). */
	generation?: () => number;
};

/** What a slot's container is made of: everything of a job's spec but its command and env, which are each file's own. */
const containerKey = ({image, workdir, binds, networkMode, limits}: ContainerSpec) => JSON.stringify({image, workdir, binds, networkMode, limits});

const ignore = () => undefined;

/** Makes a slot's container, attached for its whole life and started with its helper. */
async function makeSlotContainer(engine: Engine, spec: ContainerSpec, {labels, entrypoint = []}: SlotContainersSpec, slot: number): Promise<SlotContainer> {
	const id = await engine.create({
		...spec,
		entrypoint: ['/bin/sh', '-c', helperProgram],
		cmd: [],
		env: [],
		labels: {...labels, 'baleen.role': 'slot', 'baleen.slot': String(slot)},
		openStdin: true,
	});
	try {
		const session = await engine.session(id);
		// Read from the attach on, for the container's whole life: a file's run reads it while it runs.
		const output$ = connectable(session.output$.pipe(map(output => ({type: 'output' as const, ...output}))), {connector: () => new Subject<SlotEvent & {type: 'output'}>()});
		output$.connect();
		await engine.start(id);
		let ooms = 0;
		let reusable = true;
		return {
			id,
			get reusable() {
				return reusable;
			},
			run(request) {
				return defer(() => {
					reusable = false;
					const nonce = randomBytes(16).toString('hex');
					return merge(
						output$.pipe(fileOutput(nonce, resultsLimitBytes)),
						defer(() => {
							session.write(slotRequest(nonce, {...request, cmd: [...entrypoint, ...request.cmd]}));
							return EMPTY;
						}),
					);
				}).pipe(map((event): FileEvent => {
					if (event.type === 'output') {
						return event;
					}

					// The cgroup's count is the container's: a file that raised it was killed for memory.
					const outOfMemory = event.ooms > ooms;
					ooms = event.ooms;
					reusable = event.exitCode === 0 && !outOfMemory;
					return {type: 'end', exitCode: event.exitCode, outOfMemory, ...(event.results && {results: event.results})};
				}));
			},
		};
	} catch (error) {
		await removeSurely(engine, id);
		throw error;
	}
}

/** The containers of a run's slots, each made on its slot's first file (as sandboxes.ts makes holders). */
export function slotContainers(engine: Engine, spec: SlotContainersSpec): SlotContainers {
	const {reuse = Number.POSITIVE_INFINITY, generation = () => 0} = spec;
	const slots = new Map<number, {key: string; generation: number; files: number; container: Promise<SlotContainer>}>();
	/** Containers on their way out: `close` waits for them too. */
	const retiring: Array<Promise<void>> = [];
	const retire = (container: Promise<SlotContainer>) => {
		const removal = container.then(async ({id}) => removeSurely(engine, id), ignore);
		retiring.push(removal);
		return removal;
	};

	const make = (slot: number, key: string, containerSpec: ContainerSpec) => {
		const made = {key, generation: generation(), files: 0, container: makeSlotContainer(engine, containerSpec, spec, slot)};
		slots.set(slot, made);
		// One that could not be made is tried again by the slot's next file.
		made.container.catch(() => {
			if (slots.get(slot) === made) {
				slots.delete(slot);
			}
		});
		return made;
	};

	return {
		async take(slot, containerSpec) {
			const key = containerKey(containerSpec);
			let held = slots.get(slot);
			if (held && (held.key !== key || held.generation !== generation() || held.files >= reuse)) {
				slots.delete(slot);
				await retire(held.container);
				held = undefined;
			}

			held ??= make(slot, key, containerSpec);
			held.files++;
			return held.container;
		},

		warm(slot, containerSpec) {
			if (!slots.has(slot)) {
				make(slot, containerKey(containerSpec), containerSpec);
			}
		},

		async retire(slot, id) {
			const held = slots.get(slot);
			if (held && await held.container.then(container => container.id === id, () => false) && slots.get(slot) === held) {
				slots.delete(slot);
			}

			retiring.push(removeSurely(engine, id));
			await retiring.at(-1);
		},

		async close() {
			const held = [...slots.values()];
			slots.clear();
			await Promise.all([...held.map(async ({container}) => retire(container)), ...retiring.splice(0)]);
		},
	};
}
