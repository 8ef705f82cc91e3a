import {NEVER, Observable} from 'rxjs';
import type {Output} from '../../source/backends/backend.js';
import type {ContainerSpec, Engine} from '../../source/backends/docker/engine.js';
import type {Mount} from '../../source/backends/docker/host-paths.js';
import {oomMarker} from '../../source/backends/docker/out-of-memory.js';

/** How one file behaves in the fake engine, keyed by its container's `baleen.file` label. */
export type Behaviour = {
	exitCode?: number;
	/** How long the process "runs" before it exits by itself; Infinity runs until killed. */
	runMs?: number;
	output?: Output[];
	/** Printed at once, before `start` has even answered. */
	outputAtStart?: Output[];
	failOn?: 'create' | 'attach' | 'start';
	/** The file is not in the container (an image built before it was added). */
	missing?: boolean;
	/** The OOM killer ended one of its processes: its command left the marker that says so (see out-of-memory.ts). */
	outOfMemory?: boolean;
};

type Container = {
	spec: ContainerSpec;
	behaviour: Behaviour;
	state: 'created' | 'running' | 'exited';
	exitCode?: number;
	exited: Promise<number>;
	exit: (code: number) => void;
	emit?: (output: Output) => void;
	end?: () => void;
	kill?: () => void;
};

const spec0 = (spec: ContainerSpec) => spec.entrypoint?.[0] ?? spec.cmd[0];

/**
An in-memory engine for fast tests of scheduling and cancellation: it keeps every container it made
until `remove`, so a test can tell what was left behind, and logs every call in order.
*/
export class FakeEngine implements Engine {
	readonly name = 'fake://engine';
	readonly calls: string[] = [];
	readonly containers = new Map<string, Container>();
	reachable = true;
	images = new Set(['shell']);
	/** The containers committed as images, in order (--keep-failed). */
	committed: string[] = [];
	/** Whether the image has a `sleep` to keep a slot's network namespace with. */
	canHold = true;
	#next = 0;

	constructor(readonly behaviours: Record<string, Behaviour> = {}) {}

	/** The file a container runs, or `(holder 0)` for what is not a file's. */
	fileOf(spec: ContainerSpec): string {
		return spec.labels['baleen.file'] ?? `(${spec.labels['baleen.role']} ${spec.labels['baleen.slot'] ?? ''})`.replace(' )', ')');
	}

	#behaviour(spec: ContainerSpec): Behaviour {
		if (spec.labels['baleen.role'] === 'holder') {
			return {runMs: Number.POSITIVE_INFINITY, ...(!this.canHold && {failOn: 'start'})};
		}

		return this.behaviours[this.fileOf(spec)] ?? {};
	}

	async ping() {
		if (!this.reachable) {
			throw new Error('connect ENOENT /fake.sock');
		}
	}

	async cpus() {
		return 3;
	}

	async image(name: string) {
		return this.images.has(name) ? {id: name, labels: {}} : undefined;
	}

	async removeImage(id: string) {
		this.images.delete(id);
	}

	async build(): Promise<void> {
		throw new Error('the fake engine builds nothing; --build is tested on the real engine');
	}

	async session(): Promise<never> {
		throw new Error('the fake engine keeps no slot containers; --isolate slot is tested on the real engine');
	}

	async exec(): Promise<never> {
		throw new Error('the fake engine runs no exec; --isolate slot is tested on the real engine');
	}

	async create(spec: ContainerSpec) {
		const file = this.fileOf(spec);
		this.calls.push(`create ${file}`);
		const behaviour = this.#behaviour(spec);
		if (behaviour.failOn === 'create') {
			throw Object.assign(new Error('HTTP 400'), {json: {message: `invalid mount config for ${file}`}});
		}

		const id = `c${++this.#next}`;
		let exit!: (code: number) => void;
		const exited = new Promise<number>(resolve => {
			exit = resolve;
		});
		this.containers.set(id, {spec, behaviour, state: 'created', exited, exit});
		return id;
	}

	#get(id: string): Container {
		const container = this.containers.get(id);
		if (!container) {
			throw Object.assign(new Error(`No such container: ${id}`), {statusCode: 404});
		}

		return container;
	}

	async attach(id: string) {
		const container = this.#get(id);
		this.calls.push(`attach ${this.fileOf(container.spec)}`);
		if (container.behaviour.failOn === 'attach') {
			throw new Error('attach refused');
		}

		return new Observable<Output>(subscriber => {
			container.emit = output => {
				subscriber.next(output);
			};

			container.end = () => {
				subscriber.complete();
			};
		});
	}

	async start(id: string) {
		const container = this.#get(id);
		this.calls.push(`start ${this.fileOf(container.spec)}`);
		if (container.behaviour.failOn === 'start') {
			throw new Error(`exec: "${spec0(container.spec)}": no such file`);
		}

		container.state = 'running';
		for (const output of container.behaviour.outputAtStart ?? []) {
			container.emit?.(output);
		}

		const finish = (code: number) => {
			if (container.state !== 'running') {
				return;
			}

			for (const output of container.behaviour.output ?? []) {
				container.emit?.(output);
			}

			container.state = 'exited';
			container.exitCode = code;
			container.end?.();
			container.exit(code);
		};

		const runMs = container.behaviour.runMs ?? 0;
		if (Number.isFinite(runMs)) {
			setTimeout(() => {
				finish(container.behaviour.exitCode ?? 0);
			}, runMs);
		}

		container.kill = () => {
			finish(137);
		};
	}

	async wait(id: string) {
		return this.#get(id).exited;
	}

	/** Containers it runs besides the tests' (the one baleen runs in), by id, with their mounts. */
	readonly outer = new Map<string, Mount[]>();

	async mounts(id: string) {
		this.calls.push(`mounts ${id}`);
		return this.outer.get(id);
	}

	async oomKilled() {
		return false;
	}

	ooms() {
		return NEVER;
	}

	async kill(id: string) {
		const container = this.#get(id);
		this.calls.push(`kill ${this.fileOf(container.spec)}`);
		container.kill?.();
	}

	async hasFile(id: string, path: string) {
		const {behaviour} = this.#get(id);
		return path === oomMarker ? behaviour.outOfMemory === true : !behaviour.missing;
	}

	async archive() {
		return undefined;
	}

	async commit(id: string) {
		this.calls.push(`commit ${this.fileOf(this.#get(id).spec)}`);
		this.committed.push(id);
		return `sha256:kept-${id}`;
	}

	async remove(id: string) {
		const container = this.containers.get(id);
		if (!container) {
			return;
		}

		this.calls.push(`remove ${this.fileOf(container.spec)}`);
		container.kill?.();
		this.containers.delete(id);
	}

	async removeLabelled(labels: Record<string, string>) {
		const matching = [...this.containers].filter(([, {spec}]) => Object.entries(labels).every(([key, value]) => spec.labels[key] === value));
		await Promise.all(matching.map(async ([id]) => this.remove(id)));
		return matching.length;
	}

	/** Files whose containers are running right now. */
	running(): string[] {
		return [...this.containers.values()].filter(({state, spec}) => state === 'running' && spec.labels['baleen.file']).map(({spec}) => this.fileOf(spec));
	}

	/** Containers of the given role (`holder`) still there. */
	kept(role: string): ContainerSpec[] {
		return [...this.containers.values()].filter(({spec}) => spec.labels['baleen.role'] === role).map(({spec}) => spec);
	}
}
