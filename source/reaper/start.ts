import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const watcher = fileURLToPath(new URL('watch.js', import.meta.url));

/**
Starts the reaper of one run: should this process die without cleaning up (`kill -9`), the reaper
removes every container labelled with the run. It holds nothing of ours alive: the pipe and the
child are unreferenced, so baleen exits when its work is done, which closes the pipe.
*/
export function startReaper(runId: string, environment: NodeJS.ProcessEnv = process.env): void {
	const child = spawn(process.execPath, [watcher, runId], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
		env: environment,
	});
	child.on('error', () => undefined); // Without a reaper the run still cleans up on every other path.
	child.unref();
	(child.stdin as unknown as {unref(): void}).unref();
}
