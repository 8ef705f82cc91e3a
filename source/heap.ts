import v8 from 'node:v8';

/** `--heap-growing-percent` of V8: the old generation may grow to 1.3 × what the last full collection kept. */
export const heapGrowingPercent = 30;

/**
Bounds how far V8 lets garbage build up between full collections. A big run allocates fast and keeps
little (about 30 MB after a collection, whatever the number of files), so its peak is V8's growing
factor (up to 4 × on an idle process) times that: 10,000 files printing 100 KB each through the live
view peaked at 200–215 MB with V8's own factor, at 147–151 MB with 1.5 × and 142–144 MB with 1.3 ×,
at no CPU per file that the bench could tell (see docs/performance.md, Memory). Called first thing, before the heap has grown; V8 reads the flag at each collection.
One given on the command line or in NODE_OPTIONS wins.
*/
export function boundHeapGrowth(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): void {
	const flag = heapFlag(execArgv, nodeOptions);
	if (flag) {
		v8.setFlagsFromString(flag);
	}
}

/** The flag to set, unless node was given its own. */
export function heapFlag(execArgv: readonly string[], nodeOptions = ''): string | undefined {
	return [...execArgv, nodeOptions].some(option => /heap[-_]growing[-_]percent/.test(option)) ? undefined : `--heap-growing-percent=${heapGrowingPercent}`;
}
