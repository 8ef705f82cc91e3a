/** Edits (insert, delete, replace, swap two neighbours) from one word to another. */
function distance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : (j === 0 ? i : 0))));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
			}
		}
	}

	return rows[a.length]![b.length]!;
}

/** The known key a misspelt or differently written one (mounts, findInImage, find_in_image) most likely means. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	const normal = (text: string) => text.toLowerCase().replaceAll(/[-_]/g, '');
	const ranked = candidates.map(candidate => ({candidate, edits: distance(normal(word), normal(candidate))})).sort((a, b) => a.edits - b.edits);
	return ranked[0] && ranked[0].edits <= 2 ? ranked[0].candidate : undefined;
}
