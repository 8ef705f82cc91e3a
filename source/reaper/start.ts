import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {EngineChoice} from '../backends/pool/choice.js';

const watcher = fileURLToPath(new URL('watch.js', import.meta.url));

export type Reaper = {
	/**
	Baleen left nothing on the engine (the run failed before it made anything): the reaper need not
	look, which would keep it waiting for an engine that never answered.
	*/
	release(): void;
};

/**
Starts the reaper of one run: should this process die without cleaning up (`kill -9`), the reaper
has the run's backend (`backend`, the registry's name of it) remove everything labelled with the run.
It holds nothing of ours alive: the pipe and the child are unreferenced, so baleen exits when its work
is done, which closes the pipe. A run over several engines (`--engine`) has them all swept.
*/
export function startReaper(runId: string, backend: string, environment: NodeJS.ProcessEnv = process.env, engines?: readonly EngineChoice[]): Reaper {
	const child = spawn(process.execPath, [watcher, runId, backend, ...(engines && engines.length > 0 ? [JSON.stringify(engines)] : [])], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
		env: environment,
	});
	child.on('error', () => undefined); // Without a reaper the run still cleans up on every other path.
	child.unref();
	(child.stdin as unknown as {unref(): void}).unref();
	return {
		release() {
			child.stdin?.write('nothing-left\n');
		},
	};
}
