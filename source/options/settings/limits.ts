import {z} from 'zod';
import type {Limits} from '../../backends/backend.js';
import {option} from '../declaration.js';
import {numberFromText, wholeNumber} from './kinds.js';

const sizeUnits: Record<string, number> = {'': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3};
/** Docker's own floor for a container's memory. */
const leastBytes = 6 * 1024 ** 2;
const sizeExpected = 'expected a size of at least 6m, e.g. 512m or 2g';

/** `512m`, `1g`, `1.5g` or a number of bytes, as Docker's `--memory` takes them; NaN for anything else. */
function bytesOf(size: string | number): number {
	const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(size).trim());
	const unit = sizeUnits[match?.[2]?.toLowerCase() ?? 'none'];
	return match && unit ? Math.floor(Number(match[1]) * unit) : Number.NaN;
}

export const memory = option({
	name: 'memory',
	type: 'string',
	value: 'SIZE',
	help: 'Memory each test container may use, e.g. 512m or 2g; a file over it is killed\nand fails as out of memory',
	section: 'Options',
	schema: z.union([z.string(), z.number()], {error: sizeExpected})
		.transform(bytesOf)
		.pipe(z.number({error: sizeExpected}).min(leastBytes, {error: sizeExpected}))
		.optional(),
});

export const cpus = option({
	name: 'cpus',
	type: 'string',
	value: 'N',
	help: 'CPUs each test container may use, e.g. 1 or 0.5',
	section: 'Options',
	fromText: numberFromText,
	schema: z.number({error: 'expected a number of CPUs greater than 0, e.g. 1 or 0.5'}).positive({error: 'expected a number of CPUs greater than 0, e.g. 1 or 0.5'}).optional(),
});

export const pidsLimit = option({
	name: 'pids-limit',
	type: 'string',
	value: 'N',
	help: 'Processes (and threads) each test container may run at once',
	section: 'Options',
	fromText: numberFromText,
	schema: wholeNumber('expected a whole number of processes of at least 1', 1).optional(),
});

/** What each test container may use, as the backends take it; undefined when no limit is set. */
export function containerLimits({memory, cpus, pidsLimit}: {memory?: number; cpus?: number; pidsLimit?: number}): Limits | undefined {
	const limits: Limits = {
		...(memory !== undefined && {memoryBytes: memory}),
		...(cpus !== undefined && {cpus}),
		...(pidsLimit !== undefined && {pidsLimit}),
	};
	return Object.keys(limits).length > 0 ? limits : undefined;
}
