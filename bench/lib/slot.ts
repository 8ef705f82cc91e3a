/**
A slot of `--isolate slot` (issue 22), as the isolate bench measures it: one long-lived container
that runs files one after another, each as a fresh process tree. The ways of running a file in it
(an exec each, a helper inside) share what is here: the files, their outcomes, the slot's container
and the kill that ends everything of a file.
*/
import {type EngineApi} from './engine-api.js';

/** A file to run: a shell snippet, with the environment and workdir of its own. */
export type FileRun = {
	script: string;
	env?: Record<string, string>;
	workdir?: string;
	/** After this long everything the file started is killed, and its outcome says so. */
	timeoutMs?: number;
};

export type Outcome = {code: number; stdout: Buffer; stderr: Buffer; timedOut: boolean};

export type Slot = {
	run: (file: FileRun) => Promise<Outcome>;
	close: () => Promise<void>;
};

export type SlotOptions = {image: string; labels: Record<string, string>};

export type OpenSlot = (api: EngineApi, options: SlotOptions) => Promise<Slot>;

/** Creates a slot's container (its output logged nowhere, it is read through attach or exec); `extra` adds to the create request. */
export async function createSlotContainer(api: EngineApi, {image, labels}: SlotOptions, cmd: string[], extra: Record<string, unknown> = {}): Promise<string> {
	const {Id} = await api.call<{Id: string}>('POST', '/containers/create', {
		Image: image,
		Cmd: cmd,
		Labels: labels,
		...extra,
		HostConfig: {LogConfig: {Type: 'none', Config: {}}},
	});
	return Id;
}

export const removeContainer = async (api: EngineApi, id: string) => api.call('DELETE', `/containers/${id}?force=1&v=1`);

/**
Kills every process of the container but its pid 1 and the killer itself: kill(-1) spares exactly those
in a pid namespace. It catches what a process group or session kill misses (a file's `setsid daemon &`).
*/
export const killAllButInit = 'kill -9 -1 2>/dev/null';

/**
Ends a running file from outside: an exec of the same kill, detached (its start returns once it runs).
Through sh: Debian's minbase has no `kill` executable, only the shell's builtin.
*/
export async function killFromOutside(api: EngineApi, container: string): Promise<void> {
	const {Id} = await api.call<{Id: string}>('POST', `/containers/${container}/exec`, {Cmd: ['sh', '-c', killAllButInit]});
	await api.call('POST', `/exec/${Id}/start`, {Detach: true, Tty: false});
}

/**
Runs `outcome`, and if the file's timeout comes first kills it from outside and marks the outcome timed
out; a kill that fails fails the file (its outcome would never come).
*/
export async function withTimeout(file: FileRun, kill: () => Promise<void>, outcome: Promise<Outcome>): Promise<Outcome> {
	if (file.timeoutMs === undefined) {
		return outcome;
	}

	let timedOut = false;
	let timer: NodeJS.Timeout | undefined;
	const killed = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			timedOut = true;
			kill().catch((error: unknown) => {
				reject(new Error(`kill after timeout: ${(error as Error).message}`));
			});
		}, file.timeoutMs);
	});
	try {
		return {...await Promise.race([outcome, killed]), timedOut};
	} finally {
		clearTimeout(timer);
	}
}

/** Runs `files` copies of `file` over `slots` slots opened with `open`, each slot taking the next; every outcome must be exit 0. */
export async function runOverSlots(api: EngineApi, open: OpenSlot, options: SlotOptions & {files: number; slots: number; file: FileRun; signal?: AbortSignal}): Promise<{setupMs: number}> {
	const started = performance.now();
	const opened = await Promise.allSettled(Array.from({length: options.slots}, async () => open(api, options)));
	const slots = opened.flatMap(result => (result.status === 'fulfilled' ? [result.value] : []));
	const setupMs = performance.now() - started;
	try {
		const failure = opened.find(result => result.status === 'rejected');
		if (failure) {
			throw failure.reason;
		}

		let next = 0;
		let failed = false;
		const take = () => (next < options.files && !failed && !options.signal?.aborted ? next++ : undefined);
		const loop = async (slot: Slot) => {
			while (take() !== undefined) {
				// eslint-disable-next-line no-await-in-loop
				const {code, stderr} = await slot.run(options.file);
				if (code !== 0) {
					failed = true;
					throw new Error(`a file exited ${code}: ${stderr.toString().trim().slice(-300)}`);
				}
			}
		};

		const results = await Promise.allSettled(slots.map(loop));
		options.signal?.throwIfAborted();
		const rejected = results.find(result => result.status === 'rejected');
		if (rejected) {
			throw rejected.reason;
		}
	} finally {
		await Promise.all(slots.map(async slot => slot.close()));
	}

	return {setupMs};
}
