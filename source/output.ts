import {
	NEVER, shareReplay, type Observable, type Subscription,
} from 'rxjs';
import type {CancelSignal, RunEvent} from './events.js';
import {jsonLine} from './report/json-lines.js';
import {plainReporter} from './report/plain.js';

/**
Where a run's report goes, decided once at start-up:
- stdout a terminal: the live view on stdout;
- stdout piped, stderr a terminal (`baleen … | jq`): JSON lines on stdout, the live view on stderr;
- neither (a CI log): JSON lines on stdout, a plain line per finished file and the summary on stderr.
`--json` keeps JSON lines on stdout even on a terminal; `--quiet` leaves stderr to errors alone.
*/
export type OutputMode = {
	stdout: 'ui' | 'json';
	stderr: 'ui' | 'plain' | 'none';
	quiet: boolean;
};

export function pickMode({stdoutIsTTY, stderrIsTTY, json, quiet}: {
	stdoutIsTTY: boolean;
	stderrIsTTY: boolean;
	json: boolean;
	quiet: boolean;
}): OutputMode {
	if (stdoutIsTTY && !json) {
		return {stdout: 'ui', stderr: 'none', quiet};
	}

	// JSON on a terminal that stderr shares: a second report there would only interleave with it.
	if (quiet || (stdoutIsTTY && stderrIsTTY)) {
		return {stdout: 'json', stderr: 'none', quiet};
	}

	return {stdout: 'json', stderr: stderrIsTTY ? 'ui' : 'plain', quiet};
}

export type Output = {
	/** Tells that a signal is cancelling the run (the view shows it; a log gets a line). */
	cancelling(signal: CancelSignal): void;
	/** The second signal: stop drawing at once and say that what is left is being removed. */
	forced(): void;
	/** Settles when every consumer has written its last word, so that an error message can follow. */
	closed: Promise<void>;
};

type Streams = {
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
	cancel$?: Observable<CancelSignal>;
};

/**
Subscribes every consumer the mode asks for to `events$` (share it, and start it after this
resolves). None of them talks to Docker: they only read events.
*/
export async function startOutput(mode: OutputMode, events$: Observable<RunEvent>, {
	stdout = process.stdout,
	stderr = process.stderr,
	cancel$ = NEVER,
}: Streams = {}): Promise<Output> {
	const subscriptions: Subscription[] = [];
	const say = (text: string) => {
		if (!mode.quiet) {
			stderr.write(`baleen: ${text}\n`);
		}
	};

	if (mode.stdout === 'json') {
		subscriptions.push(events$.subscribe({
			next(event) {
				const line = jsonLine(event);
				if (line) {
					stdout.write(line);
				}
			},
			error() {/* The CLI reports it. */},
		}));
	}

	if (mode.stderr === 'plain') {
		const report = plainReporter();
		subscriptions.push(events$.subscribe({
			next(event) {
				const lines = report(event);
				if (lines.length > 0) {
					stderr.write(`${lines.join('\n')}\n`);
				}
			},
			error() {/* The CLI reports it. */},
		}));
	}

	const uiStream = mode.stdout === 'ui' ? stdout : (mode.stderr === 'ui' ? stderr : undefined);
	if (!uiStream) {
		return {
			cancelling(signal) {
				say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: cancelling, removing running containers (Ctrl-C again to force)`);
			},
			forced() {
				say('forced: removing what is left');
			},
			closed: Promise.resolve(),
		};
	}

	// React picks its build when first loaded: without this, the development one, several times slower.
	process.env.NODE_ENV ??= 'production';
	// Chalk settles its colour level when Ink first loads it, from stdout alone; the view may be on stderr.
	const {colorLevel} = await import('./ui/color.js');
	if (typeof uiStream.getColorDepth === 'function') {
		process.env.FORCE_COLOR = String(colorLevel(uiStream));
	}

	const [{frames}, {showUi}] = await Promise.all([import('./ui/frames.js'), import('./ui/render.js')]);
	// Reduced from the first event on, whenever the view gets round to subscribing; only the latest frame is kept.
	const frames$ = frames(events$, {cancel$}).pipe(shareReplay({bufferSize: 1, refCount: false}));
	subscriptions.push(frames$.subscribe({error() {/* The view shows it by closing; the CLI reports it. */}}));
	const ui = showUi(frames$, uiStream);
	return {
		cancelling() {/* The view shows it, from cancel$. */},
		forced() {
			ui.close();
			for (const subscription of subscriptions) {
				subscription.unsubscribe();
			}

			say('forced: removing what is left');
		},
		closed: ui.closed,
	};
}
