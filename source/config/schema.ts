import {z} from 'zod';
import {settings, type SettingKey, type Table} from '../options/table.js';

/** Looked for in this order in each folder from the current one up to the root. */
export const configNames = ['baleen.yml', 'baleen.yaml', 'baleen.config.json'] as const;

const projectName = /^[A-Za-z\d][\w.-]*$/;

/** The key of a setting in baleen.yml: its flag's name, or its `configName`; none for a choice of one run alone. */
type ConfigKey<Declared> = Declared extends {inConfig: false} ? never
	: Declared extends {configName: infer Name extends string} ? Name
		: Declared extends {name: infer Name extends string} ? Name : never;

/** One layer of settings as the file holds them, each value checked by its setting's schema, by its key in the file. */
export type Settings = {[Key in SettingKey as ConfigKey<Table[Key]>]?: Exclude<z.output<Table[Key]['schema']>, undefined>};

/** A setting's schema, as a layer of the file takes it: a value left out stays out, for a later layer or the run's default to fill. */
const leftOutStaysOut = (schema: z.ZodType) => (schema instanceof z.ZodDefault ? schema.unwrap() : schema);

/** The keys of a config file are the long flag names, so there is one vocabulary (`patterns` stands for the arguments). */
export const settingsShape = Object.fromEntries(settings
	.filter(({setting}) => setting.inConfig !== false)
	.map(({setting}) => [setting.configName ?? setting.name, leftOutStaysOut(setting.schema)])) as {[Key in keyof Settings]-?: z.ZodType<Settings[Key]>};

const settingsSchema = z.strictObject(settingsShape).partial();

export const configSchema = z.strictObject({
	...settingsSchema.shape,
	projects: z.record(
		z.string().regex(projectName, {error: 'expected a project name of letters, digits, ".", "_" or "-"'}),
		settingsSchema,
		{error: 'expected a map of project names to their settings'},
	),
}).partial();

export type ConfigData = z.output<typeof configSchema>;

export type Config = {
	/** Absolute path of the file. */
	file: string;
	/** Relative paths in the file (patterns, mount sources, build) are taken from here. */
	directory: string;
	defaults: Settings;
	projects: Record<string, Settings>;
};
