import {z} from 'zod';
import {option} from '../declaration.js';
import {numberFromText} from './kinds.js';

const expected = 'expected seconds greater than 0, e.g. 300 or "300s"';

/** A number of seconds: `300`, or `"300s"`. */
const seconds = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?s?$/, {error: expected}).transform(text => Number(text.replace(/s$/, '')))], {error: expected})
	.pipe(z.number().positive({error: expected}));

const secondsFlag = <const Name extends string>(name: Name) => ({
	name,
	type: 'string',
	section: 'Options',
	fromText: numberFromText,
	wrong: (given: string) => `must be a number of seconds greater than 0, not "${given}"`,
}) as const;

export const timeout = option({
	...secondsFlag('timeout'),
	help: 'Seconds a file may run before it is killed as timed out (default: 600)',
	schema: seconds.default(600),
});

export const engineWait = option({
	...secondsFlag('engine-wait'),
	value: 'SECONDS',
	help: 'How long to wait for an engine that went away mid-run (a restart) before the\nfiles left end as errors; the files it cut short run again (default: 60)',
	schema: seconds.default(60),
});
