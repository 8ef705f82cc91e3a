/** A word as the shell reads it back unchanged: as it is when it holds nothing the shell treats specially, else in single quotes. */
export function shellWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll('\'', '\'\\\'\'')}'`;
}
