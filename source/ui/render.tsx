import {render} from 'ink';
import type {Observable} from 'rxjs';
import {App} from './app.js';
import {eraseReflowedFrames} from './reflow.js';
import type {Frame} from './run-view.js';

export type ShownUi = {
	/** Settles once Ink has drawn its last frame and let go of the terminal. */
	closed: Promise<void>;
	/** Stops drawing now (a forced stop), leaving what is on screen. */
	close(): void;
};

/**
Draws the run on `stream` (stdout, or stderr when stdout carries JSON lines). Ctrl-C stays a signal:
nothing here reads the keyboard, so Ink never puts the terminal in raw mode, and the CLI's cancel
flow sees SIGINT as it would without a view.
*/
export function showUi(frames$: Observable<Frame>, stream: NodeJS.WriteStream): ShownUi {
	const undoReflow = eraseReflowedFrames(stream);
	const instance = render(<App frames$={frames$}/>, {
		stdout: stream,
		stderr: process.stderr,
		exitOnCtrlC: false,
		patchConsole: false,
		// Frames already come at most every 100 ms; Ink's own throttle would only delay them.
		maxFps: 0,
	});
	return {
		closed: instance.waitUntilExit().then(undoReflow, undoReflow),
		close() {
			instance.unmount();
		},
	};
}
