import {z} from 'zod';
import {BaleenError} from '../../errors.js';

/**
One engine a run is asked to use: a Docker host URL (`unix://`, `tcp://`, `ssh://`) or the name of a
Docker context, and how many files it runs at once (its CPU count when absent).
*/
export type EngineChoice = ({host: string} | {context: string}) & {slots?: number};

const hostSchemes = /^(unix|tcp|ssh):\/\//;

const usage = (given: string) => new BaleenError(`--engine takes a host URL (unix://PATH, tcp://HOST:PORT, ssh://USER@HOST) or a Docker context name, optionally =SLOTS, not "${given}"`);

function parseSlots(text: string, given: string): number {
	const slots = Number(text);
	if (!/^\d+$/.test(text) || slots < 1) {
		throw new BaleenError(`--engine ${given}: SLOTS must be a whole number of at least 1`);
	}

	return slots;
}

/** `TARGET[=SLOTS]`: a target with `://` is a host, any other a context name. */
export function parseEngine(given: string): EngineChoice {
	const match = /^(.*?)(?:=([^=/]*))?$/s.exec(given.trim())!;
	const target = match[1]!;
	const slots = match[2] === undefined ? undefined : parseSlots(match[2], given);
	if (target === '') {
		throw usage(given);
	}

	if (target.includes('://')) {
		if (!hostSchemes.test(target)) {
			throw usage(given);
		}

		return {host: target, ...(slots !== undefined && {slots})};
	}

	if (!/^[A-Za-z\d][\w.+-]*$/.test(target)) {
		throw usage(given);
	}

	return {context: target, ...(slots !== undefined && {slots})};
}

/** The engines of a run from flags (`TARGET[=SLOTS]` strings), baleen.yml or the API (objects), in any mix. */
export function parseEngines(value: unknown): EngineChoice[] {
	return (Array.isArray(value) ? value : [value]).map(entry => (typeof entry === 'string' ? parseEngine(entry) : entry as EngineChoice));
}

const slotsSchema = z.int({error: 'expected a whole number of slots of at least 1'}).min(1, {error: 'expected a whole number of slots of at least 1'});
const engineExpected = 'expected {host: URL, slots: N}, {context: NAME, slots: N} or "TARGET[=SLOTS]"';

/** `engines:` in baleen.yml. */
export const enginesSchema = z.array(z.union([
	z.string().min(1),
	z.strictObject({host: z.string().regex(hostSchemes, {error: 'expected unix://, tcp:// or ssh://'}), slots: slotsSchema.optional()}),
	z.strictObject({context: z.string().min(1), slots: slotsSchema.optional()}),
], {error: engineExpected}), {error: `expected a list of engines, each ${engineExpected}`}).min(1, {error: 'expected at least one engine'});

/** How an engine is named for people: its URL, or its context's name. */
export const choiceName = (choice: EngineChoice) => ('host' in choice ? choice.host : choice.context);
