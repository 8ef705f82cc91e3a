import {shareReplay} from 'rxjs';
import type {Reporter} from './reporter.js';

/**
The live view, drawn with Ink on a terminal that baleen has to itself: finished files above, a row
per running container and the progress below, redrawn in place.
*/
export function viewReporter(stream: NodeJS.WriteStream): Reporter {
	return async (events$, {cancel$}) => {
		// React picks its build when first loaded: without this, the development one, several times slower.
		process.env.NODE_ENV ??= 'production';
		// Chalk settles its colour level when Ink first loads it, from stdout alone; the view may be on stderr.
		const {colorLevel} = await import('../ui/color.js');
		if (typeof stream.getColorDepth === 'function') {
			process.env.FORCE_COLOR = String(colorLevel(stream));
		}

		const [{frames}, {showUi}] = await Promise.all([import('../ui/frames.js'), import('../ui/render.js')]);
		// Reduced from the first event on, whenever the view gets round to subscribing; only the latest frame is kept.
		const frames$ = frames(events$, {cancel$}).pipe(shareReplay({bufferSize: 1, refCount: false}));
		const subscription = frames$.subscribe({error() {/* The view shows it by closing; the CLI reports it. */}});
		const ui = showUi(frames$, stream);
		return {
			written: ui.closed,
			forced() {
				ui.close();
				subscription.unsubscribe();
			},
		};
	};
}
