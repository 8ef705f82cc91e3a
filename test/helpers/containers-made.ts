import {execFileSync, spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';

/** The labels of the containers created while a watch ran, for one run's label. */
export type CreatesWatch = {stop: (runId: string) => Promise<Array<Record<string, string>>>};

/**
Watches the engine's `create` events from now on (`docker events --since`, kept open), so that the
labels of every container a run created can be told once they are gone. Kept open, not asked for
afterwards: the engine keeps only its last few hundred events, which a busy engine (other tests,
other runs) overwrites within the minute a run takes. `stop` ends the watch once the engine has told
everything before it: the create of a container of the watch's own, never started, comes after them.
*/
export function watchCreates(): CreatesWatch {
	const events = spawn('docker', [
		'events', '--since', new Date().toISOString(), '--filter', 'type=container', '--filter', 'event=create', '--format', '{{json .Actor.Attributes}}',
	], {stdio: ['ignore', 'pipe', 'inherit']});
	const sentinel = randomUUID();
	const made: Array<Record<string, string>> = [];
	let partial = '';
	let told: (() => void) | undefined;
	const last = new Promise<void>(resolve => {
		told = resolve;
	});
	events.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		const lines = `${partial}${chunk}`.split('\n');
		partial = lines.pop()!;
		for (const labels of lines.filter(Boolean).map(line => JSON.parse(line) as Record<string, string>)) {
			if (labels['baleen.watch'] === sentinel) {
				told?.();
			} else {
				made.push(labels);
			}
		}
	});
	return {
		async stop(runId) {
			const id = execFileSync('docker', ['create', '--label', `baleen.watch=${sentinel}`, 'baleen-test-shell', 'true'], {encoding: 'utf8'}).trim();
			try {
				await last;
			} finally {
				execFileSync('docker', ['rm', '--force', id]);
				events.kill();
			}

			return made.filter(labels => labels['baleen.run'] === runId);
		},
	};
}
