/** Polls until `check` gives a value, for at most `limitMs` (a bound for a hung run, not a timing assertion). */
export async function until<T>(check: () => T | undefined | false, what: string, limitMs = 60_000, show?: () => string): Promise<T> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`gave up waiting for ${what}${show ? `; the screen:\n${show()}` : ''}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}
