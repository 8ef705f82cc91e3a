/** A list of files given on stdin (`baleen -`): NUL-separated when it holds a NUL (`find -print0`), else one a line. */
export function parseFileList(text: string): string[] {
	const entries = text.includes('\0') ? text.split('\0') : text.split(/\r?\n/);
	return [...new Set(entries.filter(entry => entry.trim() !== ''))];
}
