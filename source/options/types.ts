import type {z} from 'zod';
import type {History} from '../plan/history.js';
import type {QuarantineList} from '../quarantine/list.js';
import type {Table} from './table.js';

type SchemaOf<Declared> = Declared extends {schema: infer Schema extends z.ZodType} ? Schema : never;

/** A list the API is given may be a readonly one: the check only reads it. */
type ReadonlyLists<T> = T extends ReadonlyArray<infer Item> ? readonly Item[] : T;

// Mapped over `keyof Table` (then filtered), so that each key keeps the table's doc comment.
/** Each option of the run as it may be given (by baleen.yml's reading, or the API). */
type Given = {[Key in keyof Table as Table[Key] extends {schema: z.ZodType} ? Key : never]?: ReadonlyLists<z.input<SchemaOf<Table[Key]>>>};

/** Each option of the run once checked: a value that may be absent is `undefined` then. */
type Checked = {[Key in keyof Table as Table[Key] extends {schema: z.ZodType} ? Key : never]: z.output<SchemaOf<Table[Key]>>};

/** Optional properties for the values that may be absent, the others required. */
type Absentable<Values> =
	& {[Key in keyof Values as undefined extends Values[Key] ? Key : never]?: Exclude<Values[Key], undefined>}
	& {[Key in keyof Values as undefined extends Values[Key] ? never : Key]: Values[Key]};

/** What a run is asked to do: the programmatic API takes it as is, the CLI builds it from flags and baleen.yml. */
export type RunOptions = Given & {
	/** Where the patterns and relative paths are taken from; the current folder when absent. */
	cwd?: string;
	/** Files, relative to `cwd`, taken as they are instead of matching `patterns` (the CLI's `-`: a list on stdin). */
	files?: readonly string[];
	/** Whose timings and last run these are, in the history files; `default` when absent. */
	project?: string;
	/** Labels every container of the run; made up when absent. */
	runId?: string;
};

/** The options of the run once checked, by the table (a value in the form the run uses), as `Checked` has them. */
export type SettingValues = Absentable<Checked>;

/**
The options once checked, each value in the form the run uses: made once, from the flags and the
config file by the CLI or from `RunOptions` by `run()`, and trusted from then on.
*/
export type ResolvedOptions = SettingValues & {
	readonly resolved: true;
	/** Where the patterns and relative paths were taken from. */
	cwd: string;
	/** Taken as they are, instead of matching `patterns`. */
	files?: readonly string[];
	/** What earlier runs of this project recorded, and where this one records. */
	history: History;
	/** The quarantine list read (`quarantine`, or the project's default one); absent when there is none. */
	quarantineList?: QuarantineList;
	runId: string;
	/** Lines for a person about how the options were read (a preset's choices), told as the run starts. */
	notes?: readonly string[];
};
