import {z} from 'zod';
import {BaleenError} from '../errors.js';
import type {Setting} from './declaration.js';

/** The part of `data` at `keys`: the entry of a list that was wrong. */
export function valueAt(data: unknown, keys: readonly PropertyKey[]): unknown {
	let value = data;
	for (const key of keys) {
		if (value === null || typeof value !== 'object') {
			return undefined;
		}

		value = (value as Record<PropertyKey, unknown>)[key];
	}

	return value;
}

/**
A check's own sentence (a `BaleenError` of code the schema calls, which names the flag itself), as an
issue of the schema: told as it is, where a flag or the file gave the value.
*/
export function ownWords(context: z.core.$RefinementCtx, error: unknown, input: unknown): never {
	if (!(error instanceof BaleenError)) {
		throw error;
	}

	context.issues.push({code: 'custom', message: error.message, input, params: {ownWords: true}});
	return z.NEVER;
}

export const isOwnWords = (issue: z.core.$ZodIssue): boolean => issue.code === 'custom' && issue.params?.['ownWords'] === true;

/**
A value given by a flag or the API (text read as the setting reads it), checked by its setting's
schema; a wrong one is a `BaleenError` in the flag's words: `--retries takes a whole number of retries
of at least 0, not "x"`. Undefined gives the setting's default, or fails when it is required.
*/
export function checked<Schema extends z.ZodType>(setting: Setting<Schema>, given: unknown): z.output<Schema> {
	const result = setting.schema.safeParse(setting.fromText && typeof given === 'string' ? setting.fromText(given) : given);
	if (result.success) {
		return result.data;
	}

	const [issue] = result.error.issues;
	if (issue && isOwnWords(issue)) {
		throw new BaleenError(issue.message);
	}

	const value = valueAt(given, issue?.path ?? []);
	const wrong = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
	const words = setting.wrong?.(wrong) ?? `takes ${(issue?.message ?? '').replace(/^expected /, '')}, not "${wrong}"`;
	throw new BaleenError(`--${setting.name} ${words}`);
}
