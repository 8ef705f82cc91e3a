/**
The reaper: a process of its own that outlives baleen, started detached (its own session, so neither a
kill of baleen's process group nor a closed terminal reaches it). It reads a pipe that only baleen
holds open; when the pipe closes, baleen has ended one way or another (a normal exit, a crash,
`kill -9`), and the reaper removes whatever of the run is still on the engine (a `--swarm` run's
services too), then exits. After a normal end there is nothing left, and one look at the engine says so.

    node reaper/watch.js RUN_ID [ENGINES]   (ENGINES: the run's --engine choices as JSON; else the
                                             engine of DOCKER_HOST or the current context, as baleen's)
*/
import {defaultBackend, swarmBackendFor} from '../backends/default.js';
import {BaleenError} from '../errors.js';
import type {EngineChoice} from '../backends/pool/choice.js';

/**
How long the reaper keeps at an engine that does not answer (one that went away and was not back
before baleen gave up on it) before it gives up; later starts of baleen sweep what is left then.
*/
const giveUpMs = 10 * 60_000;
const lookEveryMs = 1000;

const [runId, engines] = process.argv.slice(2);
const releaseWord = 'nothing-left';
if (!runId) {
	process.stderr.write('usage: node reaper/watch.js RUN_ID\n');
	process.exit(2);
}

setTimeout(() => process.exit(1), giveUpMs).unref();
// The pipe's end is the message. Only one thing may come down it first: that baleen left nothing on
// the engine (it ended before making anything, or removed all it made), so there is nothing to look for.
let released = false;
process.stdin.on('data', (chunk: Buffer) => {
	released ||= chunk.toString().includes(releaseWord);
});
/** The swarm backend of the run's engine, if it can be named (the containers' sweep below says so if not). */
function swarmOf(choices?: EngineChoice[]) {
	try {
		return swarmBackendFor(choices);
	} catch {
		return undefined;
	}
}

process.stdin.on('close', async () => {
	if (released) {
		process.exit(0);
	}

	const choices = engines ? JSON.parse(engines) as EngineChoice[] : undefined;
	const backend = defaultBackend(choices);
	// A --swarm run has one engine, its manager: its services go first (an engine that is no manager answers with an error, ignored).
	const swarm = (choices?.length ?? 0) <= 1 ? swarmOf(choices) : undefined;
	for (;;) {
		// eslint-disable-next-line no-await-in-loop
		await swarm?.sweep(runId).catch(() => 0);
		// eslint-disable-next-line no-await-in-loop
		if (await backend.sweep(runId).then(() => true, (error: unknown) => {
			if (error instanceof BaleenError) {
				process.exit(2); // An engine that cannot even be named (a context that is not there) will not come back.
			}

			return false;
		})) {
			process.exit(0);
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, lookEveryMs);
		});
	}
});
