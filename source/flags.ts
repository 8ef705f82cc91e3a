/** The flags a user gave that none of ours are, spelled as given: `--bogus`, `-x`. */
export function unknownFlags(given: Record<string, unknown>, known: Record<string, {type: string; shortFlag?: string}>): string[] {
	const kebab = (name: string) => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
	const names = new Set(['help', 'version']);
	for (const [name, {shortFlag}] of Object.entries(known)) {
		names.add(name).add(kebab(name));
		if (shortFlag) {
			names.add(shortFlag);
		}
	}

	// The parser files `--some-flag` under `someFlag` too: report each once, as typed.
	const unknown = new Set(Object.keys(given).filter(name => !names.has(name)).map(name => kebab(name)));
	return [...unknown].map(name => (name.length === 1 ? `-${name}` : `--${name}`));
}
