import type {z} from 'zod';

/** How an option shows on the command line and in `--help`. */
export type Flag = {
	/** The long flag without its dashes; also its key in baleen.yml unless `configName` says otherwise. */
	name: string;
	/** Its key in baleen.yml when that is not the flag's name: `engines`, a list, for the repeatable `--engine`. */
	configName?: string;
	short?: string;
	type: 'string' | 'boolean';
	/** Repeatable on the command line. */
	multiple?: boolean;
	/** What the value stands for in the help: `DIR`, `NAME`. */
	value?: string;
	/** Its words in `--help`; a `\n` starts a continuation line. */
	help: string;
	/** Where the help lists it. */
	section: 'Options' | 'Config file' | 'Commands';
	/** The flag may come without a value (`--bail`), and then means this one; a next argument that `takes` does not match is not its value. */
	alone?: {means: string; takes: RegExp};
};

/**
An option of the run: its flag, and the one check of its value, whether baleen.yml, a flag or the API
gives it. The schema's output is the value the run reads; `.default()` gives the value of a run that
names none, `.optional()` lets it be absent.
*/
export type Setting<Schema extends z.ZodType = z.ZodType> = Flag & {
	schema: Schema;
	/** A choice for one run alone (`--shard`), not for baleen.yml. */
	inConfig?: false;
	/** A flag's text in the form baleen.yml would hold it: `-j 4` gives `4`, a number. */
	fromText?: (text: string) => unknown;
	/** What the flag says of a wrong value, after `--name `, when that is not "takes" and the schema's words. */
	wrong?: (given: string) => string;
	/** What the value means where it was written (`base`): a relative path taken from there. */
	// A method, so that a setting of any schema is a `Setting`.
	meaning?(value: z.output<Schema>, base: string): z.output<Schema>;
	/**
	A list merged across the layers (config defaults, project, flags): an entry replaces an earlier one
	with the same `key` (an env variable's name, a mount's target); each entry means what `meaning` says
	where it was written.
	*/
	merge?: {key: (entry: string) => string; meaning: (entry: string, base: string) => string};
};

/** Either: an option of the run, or a flag that steers the CLI alone (`--json`, `--project`). */
export type Declaration = Flag | Setting;

/** A setting, its schema's type kept, so that its value's type is known wherever it is read. */
export function option<const Declared extends Setting<Schema>, Schema extends z.ZodType>(declaration: Declared & Setting<Schema>): Declared {
	return declaration;
}

export const isSetting = (declaration: Declaration): declaration is Setting => 'schema' in declaration;
