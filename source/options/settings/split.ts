import {z} from 'zod';
import type {SplitWhen} from '../../plan/split.js';
import {option} from '../declaration.js';
import {numberFromText} from './kinds.js';

const expected = 'expected auto, off, or seconds greater than 0 (e.g. 60 or "60s")';

/**
`--split WHEN`: when a slow file runs as several parts at once, each some of its tests through its
framework's own filter. `auto`: a file expected to take longer than its share of the run (all the
files' expected time over the slots), into the parts that end the run soonest (see split.ts); `off`;
or a number of seconds a file is expected to take over, into parts of about that time.
*/
export const split = option({
	name: 'split',
	type: 'string',
	value: 'WHEN',
	help: 'Run a slow file as several parts at once, each some of its tests (needs a\nframework\'s preset and the times of its tests from an earlier run): auto\nsplits a file longer than its share of the run (all files\' time over the\nslots) into the parts that end the run soonest, SECONDS each file longer\nthan that into parts of about that time, off never (default: auto)\ne.g. --split 120',
	section: 'Options',
	fromText: numberFromText,
	schema: z.union([
		z.enum(['auto', 'off'], {error: expected}),
		z.number({error: expected}).positive({error: expected}),
		z.string({error: expected}).regex(/^\d+(\.\d+)?s$/, {error: expected}).transform(text => Number(text.slice(0, -1))).pipe(z.number().positive({error: expected})),
	], {error: expected})
		.transform((when): SplitWhen => (typeof when === 'number' ? {aboveMs: when * 1000} : when))
		.default('auto'),
});
