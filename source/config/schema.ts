import {z} from 'zod';
import {declarations} from '../options/table.js';

/** Looked for in this order in each folder from the current one up to the root. */
export const configNames = ['baleen.yml', 'baleen.yaml', 'baleen.config.json'] as const;

const projectName = /^[A-Za-z\d][\w.-]*$/;

/** The keys of a config file are the long flag names, so there is one vocabulary (`patterns` stands for the arguments). */
export const settingsShape = Object.fromEntries(declarations.flatMap(({name, configName, config}) => (config ? [[configName ?? name, config]] : [])));

const settingsSchema = z.strictObject(settingsShape).partial();

export const configSchema = z.strictObject({
	...settingsSchema.shape,
	projects: z.record(
		z.string().regex(projectName, {error: 'expected a project name of letters, digits, ".", "_" or "-"'}),
		settingsSchema,
		{error: 'expected a map of project names to their settings'},
	),
}).partial();

/** One layer of settings as the file holds them, by key; the table's schemas have checked each value. */
export type Settings = Partial<Record<string, unknown>> & {
	image?: string;
	patterns?: string | string[];
	build?: string;
	'find-in-image'?: boolean;
};

export type ConfigData = Settings & {projects?: Record<string, Settings>};

export type Config = {
	/** Absolute path of the file. */
	file: string;
	/** Relative paths in the file (patterns, mount sources, build) are taken from here. */
	directory: string;
	defaults: Settings;
	projects: Record<string, Settings>;
};

