import stringWidth from 'string-width';

export const ellipsis = '…';

/** Splits into what a terminal draws as one cell or two, keeping combined characters whole. */
function graphemes(text: string): string[] {
	return [...new Intl.Segmenter().segment(text)].map(({segment}) => segment);
}

/** The leading graphemes that fit in `width` columns. */
function fitting(pieces: string[], width: number): string[] {
	const kept: string[] = [];
	let used = 0;
	for (const piece of pieces) {
		used += stringWidth(piece);
		if (used > width) {
			break;
		}

		kept.push(piece);
	}

	return kept;
}

/** Cut to at most `width` terminal columns, keeping the start: `a long line of o…`. */
export function truncateEnd(text: string, width: number): string {
	if (stringWidth(text) <= width) {
		return text;
	}

	return width <= 0 ? '' : fitting(graphemes(text), width - 1).join('') + ellipsis;
}

/** Cut to at most `width` terminal columns, keeping the end, where a path keeps its file name: `…/deep/file.sh`. */
export function truncateStart(text: string, width: number): string {
	if (stringWidth(text) <= width) {
		return text;
	}

	return width <= 0 ? '' : ellipsis + fitting(graphemes(text).reverse(), width - 1).reverse().join('');
}

/** Exactly `width` columns: cut from the start when longer, padded with spaces when shorter. */
export function fitStart(text: string, width: number): string {
	const cut = truncateStart(text, width);
	return cut + ' '.repeat(Math.max(0, width - stringWidth(cut)));
}

export {default as textWidth} from 'string-width';
