import {z} from 'zod';
import {option} from '../declaration.js';
import {numberFromText, wholeNumber} from './kinds.js';

/** How much a file shares with the files before it: nothing (`file`), or its slot's container (`slot`). */
export type Isolation = 'file' | 'slot';

const expected = 'expected file or slot';

/**
`--isolate file|slot`: `file`, a fresh container for every file (the default); `slot`, one container a
slot for the files it runs one after another, each file a fresh process tree in it with its own env,
workdir and closed stdin, everything it started killed before the next file. The file system is the
slot's: what one file writes, the next sees. A retry, and the file after a failed one, get a fresh one.
*/
export const isolate = option({
	name: 'isolate',
	type: 'string',
	value: 'WHAT',
	help: 'What each file has of its own: file, a fresh container (default); slot, one\ncontainer a slot for the files it runs one after another, faster: each file\na fresh process tree with its own env and workdir, all of it killed before\nthe next file, but the FILE SYSTEM IS SHARED with the slot\'s earlier files.\nA failed or timed-out file\'s container is replaced; a retry gets a fresh one\ne.g. --isolate slot',
	section: 'Options',
	schema: z.enum(['file', 'slot'], {error: expected}).default('file'),
});

/** `--isolate-reuse N`: with `--isolate slot`, a slot's container is replaced after N files (unbounded when absent). */
export const isolateReuse = option({
	name: 'isolate-reuse',
	type: 'string',
	value: 'N',
	help: 'With --isolate slot: replace a slot\'s container after N files (default:\nkept while its files pass) e.g. --isolate-reuse 20',
	section: 'Options',
	fromText: numberFromText,
	schema: wholeNumber('expected a whole number of files of at least 1', 1).optional(),
});

/** Why `--isolate slot` cannot hold with the rest of the run's options, naming both; undefined when it can. */
export function isolateRefusal({isolate, isolateReuse, freshNetwork}: {isolate: Isolation; isolateReuse?: number; freshNetwork: boolean}): string | undefined {
	if (isolate === 'slot' && freshNetwork) {
		return '--isolate slot and --fresh-network: a slot\'s files share its container\'s network namespace; leave one of them out';
	}

	if (isolate === 'file' && isolateReuse !== undefined) {
		return '--isolate-reuse needs --isolate slot: with --isolate file every file has a container of its own';
	}

	return undefined;
}
