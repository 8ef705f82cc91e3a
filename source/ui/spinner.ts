/** A braille spinner, its frame chosen by the clock so that every row turns together and tests can fix it. */
export const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
export const spinnerIntervalMs = 80;

export function spinnerFrame(now: number): string {
	return spinnerFrames[Math.floor(now / spinnerIntervalMs) % spinnerFrames.length]!;
}
