/**
The reaper: a process of its own that outlives baleen, started detached (its own session, so neither a
kill of baleen's process group nor a closed terminal reaches it). It reads a pipe that only baleen
holds open; when the pipe closes, baleen has ended one way or another (a normal exit, a crash,
`kill -9`), and the reaper has the run's backend remove whatever of the run is still on its engines
(see reap.ts), then exits. After a normal end there is nothing left, and one look at the engine says so.

    node reaper/watch.js RUN_ID BACKEND [ENGINES]   (BACKEND: the registry's name of the run's backend;
                                                     ENGINES: the run's --engine choices as JSON)
*/
import type {EngineChoice} from '../backends/pool/choice.js';
import {BaleenError} from '../errors.js';
import {reap} from './reap.js';

const [runId, backend, engines] = process.argv.slice(2);
const releaseWord = 'nothing-left';
if (!runId || !backend) {
	process.stderr.write('usage: node reaper/watch.js RUN_ID BACKEND [ENGINES]\n');
	process.exit(2);
}

// The pipe's end is the message. Only one thing may come down it first: that baleen left nothing on
// the engine (it ended before making anything, or removed all it made), so there is nothing to look for.
let released = false;
process.stdin.on('data', (chunk: Buffer) => {
	released ||= chunk.toString().includes(releaseWord);
});

process.stdin.on('close', () => {
	if (released) {
		process.exit(0);
	}

	reap({runId, backend, ...(engines && {engines: JSON.parse(engines) as EngineChoice[]})}).subscribe({
		complete() {
			process.exit(0);
		},
		error(error: unknown) {
			process.exit(error instanceof BaleenError ? 2 : 1);
		},
	});
});
