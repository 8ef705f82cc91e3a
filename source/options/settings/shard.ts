import {z} from 'zod';
import type {Shard} from '../../plan/shard.js';
import {option} from '../declaration.js';

const expected = 'expected I/N with 1 ≤ I ≤ N, e.g. --shard 2/4';

/** `2/4`: the second of four shares; undefined when it is not one. */
function shardOf(text: string): Shard | undefined {
	const match = /^(\d+)\/(\d+)$/.exec(text.trim());
	const index = Number(match?.[1]);
	const count = Number(match?.[2]);
	return match && count >= 1 && index >= 1 && index <= count ? {index, count} : undefined;
}

/** `--shard I/N`: only this share of the files, balanced by the recorded timings; the API may give `{index, count}`. */
export const shard = option({
	name: 'shard',
	type: 'string',
	value: 'I/N',
	help: 'Run only share I of N of the files, balanced by the recorded timings:\ngive each of N CI jobs the same files and timings and a different I',
	section: 'Options',
	inConfig: false,
	schema: z.union([z.string(), z.object({index: z.number(), count: z.number()})], {error: expected})
		.transform((given, context) => {
			const share = shardOf(typeof given === 'string' ? given : `${given.index}/${given.count}`);
			if (!share) {
				context.issues.push({code: 'custom', message: expected, input: given});
				return z.NEVER;
			}

			return share;
		})
		.optional(),
});
