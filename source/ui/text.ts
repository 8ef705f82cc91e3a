import stringWidth from 'string-width';

export const ellipsis = '…';

/** Splits into what a terminal draws as one cell or two, keeping combined characters whole. */
function graphemes(text: string): string[] {
	return [...new Intl.Segmenter().segment(text)].map(({segment}) => segment);
}

/** Cut to at most `width` terminal columns, keeping the start: `a long line of o…`. */
export function truncateEnd(text: string, width: number): string {
	if (stringWidth(text) <= width) {
		return text;
	}

	if (width <= 0) {
		return '';
	}

	let kept = '';
	let used = 0;
	for (const grapheme of graphemes(text)) {
		const cells = stringWidth(grapheme);
		if (used + cells > width - 1) {
			break;
		}

		kept += grapheme;
		used += cells;
	}

	return kept + ellipsis;
}

/** Cut to at most `width` terminal columns, keeping the end, where a path keeps its file name: `…/deep/file.sh`. */
export function truncateStart(text: string, width: number): string {
	if (stringWidth(text) <= width) {
		return text;
	}

	if (width <= 0) {
		return '';
	}

	let kept = '';
	let used = 0;
	for (const grapheme of graphemes(text).reverse()) {
		const cells = stringWidth(grapheme);
		if (used + cells > width - 1) {
			break;
		}

		kept = grapheme + kept;
		used += cells;
	}

	return ellipsis + kept;
}

/** Exactly `width` columns: cut from the start when longer, padded with spaces when shorter. */
export function fitStart(text: string, width: number): string {
	const cut = truncateStart(text, width);
	return cut + ' '.repeat(Math.max(0, width - stringWidth(cut)));
}

export {default as textWidth} from 'string-width';
