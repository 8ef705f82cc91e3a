import {useApp, useStdout} from 'ink';
import {useEffect, useState} from 'react';
import type {Observable} from 'rxjs';
import {RunView, type Frame} from './run-view.js';

/**
The terminal view of a run: draws each frame it is given, follows the terminal's size, and leaves
(unmounting Ink) once the frames end, after the last one, with the summary, is drawn.
*/
export function App({frames$}: {frames$: Observable<Frame>}) {
	const {exit} = useApp();
	const {stdout} = useStdout();
	const [frame, setFrame] = useState<Frame>();
	const [ended, setEnded] = useState(false);
	const [size, setSize] = useState({width: stdout.columns || 80, height: stdout.rows});

	useEffect(() => {
		const onResize = () => {
			setSize({width: stdout.columns || 80, height: stdout.rows});
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);

	useEffect(() => {
		const subscription = frames$.subscribe({
			next: setFrame,
			error(error: unknown) {
				exit(error instanceof Error ? error : new Error(String(error)));
			},
			complete() {
				setEnded(true);
			},
		});
		return () => {
			subscription.unsubscribe();
		};
	}, [frames$]);

	useEffect(() => {
		if (ended) {
			exit();
		}
	}, [ended]);

	return frame ? <RunView {...frame} width={size.width} height={size.height}/> : null;
}
