import type {WriteStream} from 'node:tty';

/**
The colour level (0 to 3, as chalk counts) for a view drawn on `stream`. Node's own reckoning honours
FORCE_COLOR (which wins), NO_COLOR, NODE_DISABLE_COLORS and TERM=dumb, and asks the stream the
view is drawn on, which is stderr when stdout carries JSON lines.
*/
export function colorLevel(stream: Pick<WriteStream, 'getColorDepth'>, env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
	const depth = stream.getColorDepth(env);
	return depth >= 24 ? 3 : depth >= 8 ? 2 : depth >= 4 ? 1 : 0;
}
