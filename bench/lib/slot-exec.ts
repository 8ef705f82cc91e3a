/**
The `exec` way of a slot: the slot's container only reaps (its pid 1 is a shell waiting in a loop), and
each file is an exec with its own Env and WorkingDir, stdin not attached (so /dev/null), stdout and
stderr attached. The exec's shell runs the file as a child and, when it ends, kills everything but pid 1
before exiting with the file's code: a background process the file left would otherwise hold the
exec's output open (the exec's stream would not end) and outlive the file.
*/
import {body} from './engine-api.js';
import {collect} from './demux.js';
import {createSlotContainer, killAllButInit, killFromOutside, type OpenSlot, removeContainer, withTimeout} from './slot.js';

/** Pid 1: reaps the orphans the kills leave (`wait` collects any child), whatever kills its own sleep. */
const reaper = 'while :; do sleep 3600 & wait; done';

/**
The exec's command: the file in a child shell, so that its own `exit` does not skip the kill. Not under
`setsid`: an exec's process already leads a session of its own, so busybox setsid would fork, exit 0 at
once and lose the file's code.
*/
const wrapper = `sh -c "$1"; code=$?; ${killAllButInit}; exit $code`;

export const openExecSlot: OpenSlot = async (api, options) => {
	const container = await createSlotContainer(api, options, ['sh', '-c', reaper]);
	await api.call('POST', `/containers/${container}/start`);
	return {
		async run(file) {
			const {Id} = await api.call<{Id: string}>('POST', `/containers/${container}/exec`, {
				Cmd: ['sh', '-c', wrapper, 'baleen-file', file.script],
				Env: Object.entries(file.env ?? {}).map(([key, value]) => `${key}=${value}`),
				WorkingDir: file.workdir,
				AttachStdout: true,
				AttachStderr: true,
			});
			return withTimeout(file, async () => killFromOutside(api, container), (async () => {
				const response = await api.open('POST', `/exec/${Id}/start`, {Detach: false, Tty: false});
				if ((response.statusCode ?? 500) >= 400) {
					throw new Error(`exec start: ${response.statusCode} ${await body(response)}`);
				}

				const output = await collect(response);
				return {...output, code: await exitCode(Id), timedOut: false};
			})());

			async function exitCode(id: string): Promise<number> {
				// The stream can end a moment before the engine has noted the exit.
				for (let attempt = 0; ; attempt++) {
					// eslint-disable-next-line no-await-in-loop
					const {Running, ExitCode} = await api.call<{Running: boolean; ExitCode: number | null}>('GET', `/exec/${id}/json`);
					if (!Running && ExitCode !== null) {
						return ExitCode;
					}

					if (attempt === 100) {
						throw new Error(`exec ${id.slice(0, 12)} still running after its output ended`);
					}

					// eslint-disable-next-line no-await-in-loop
					await new Promise(resolve => {
						setTimeout(resolve, 5);
					});
				}
			}
		},
		async close() {
			await removeContainer(api, container);
		},
	};
};
