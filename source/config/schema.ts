import {z} from 'zod';

/** Looked for in this order in each folder from the current one up to the root. */
export const configNames = ['baleen.yml', 'baleen.yaml', 'baleen.config.json'] as const;

const projectName = /^[A-Za-z\d][\w.-]*$/;
const timeoutExpected = 'expected seconds greater than 0, e.g. 300 or "300s"';

/** The keys of a config file are the long flag names, so there is one vocabulary (`patterns` stands for the arguments). */
export const settingsShape = {
	image: z.string({error: 'expected an image name'}).min(1, {error: 'expected an image name'}),
	command: z.string({error: 'expected a command, e.g. "npm test -- {file}"'}).min(1, {error: 'expected a command, e.g. "npm test -- {file}"'}),
	patterns: z.union([z.string().min(1), z.array(z.string({error: 'expected a glob'}).min(1, {error: 'expected a glob'}))], {error: 'expected a glob or a list of globs'}),
	concurrency: z.int({error: 'expected a whole number of at least 1'}).min(1, {error: 'expected a whole number of at least 1'}),
	workdir: z.string({error: 'expected an absolute path in the container'}).startsWith('/', {error: 'expected an absolute path in the container'}),
	before: z.string({error: 'expected shell commands as text'}),
	env: z.union([
		z.array(z.string({error: 'expected KEY=VALUE or KEY'}).regex(/^[A-Za-z_]\w*(=.*)?$/s, {error: 'expected KEY=VALUE or KEY'})),
		z.record(
			z.string().regex(/^[A-Za-z_]\w*$/, {error: 'expected a variable name'}),
			z.union([z.string(), z.number(), z.boolean()], {error: 'expected text, a number or true/false'}),
		),
	], {error: 'expected a list of KEY=VALUE (or KEY) entries, or a map of KEY: value'}),
	mount: z.union([z.string(), z.array(z.string({error: 'expected SRC:DST[:ro]'}))], {error: 'expected SRC:DST[:ro] or a list of them'}),
	timeout: z.union([
		z.number().positive({error: timeoutExpected}),
		z.string().regex(/^\d+(\.\d+)?s?$/, {error: timeoutExpected}),
	], {error: timeoutExpected}),
	'find-in-image': z.boolean({error: 'expected true or false'}),
	build: z.string({error: 'expected a folder with a Dockerfile'}).min(1, {error: 'expected a folder with a Dockerfile'}),
	network: z.string({error: 'expected a network name: bridge, none, host or your own'}).min(1, {error: 'expected a network name: bridge, none, host or your own'}),
	'fresh-network': z.boolean({error: 'expected true or false'}),
};

const settingsSchema = z.strictObject(settingsShape).partial();

export const configSchema = z.strictObject({
	...settingsSchema.shape,
	projects: z.record(
		z.string().regex(projectName, {error: 'expected a project name of letters, digits, ".", "_" or "-"'}),
		settingsSchema,
		{error: 'expected a map of project names to their settings'},
	),
}).partial();

export type Settings = z.infer<typeof settingsSchema>;
export type ConfigData = z.infer<typeof configSchema>;

export type Config = {
	/** Absolute path of the file. */
	file: string;
	/** Relative paths in the file (patterns, mount sources, build) are taken from here. */
	directory: string;
	defaults: Settings;
	projects: Record<string, Settings>;
};

/** The flags as the CLI got them; unset ones are undefined. */
export type Flags = {
	config?: string;
	project?: string;
	image?: string;
	command?: string;
	concurrency?: string;
	workdir?: string;
	before?: string;
	env?: string[];
	mount?: string[];
	timeout?: string;
	findInImage?: boolean;
	build?: string;
	network?: string;
	freshNetwork?: boolean;
};
