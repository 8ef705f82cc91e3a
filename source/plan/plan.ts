import {randomBytes} from 'node:crypto';
import {hostname} from 'node:os';
import path from 'node:path';
import {containerCommand as commandLine} from '../command.js';
import {discover} from '../discover/host.js';
import type {Backend, Job} from '../backends/backend.js';
import {BaleenError} from '../errors.js';
import {findInImage, unmatched} from '../discover/image.js';
import {lookUpProgram, type LookupJob} from '../frameworks/lookup.js';
import {presetCommand} from '../frameworks/preset.js';
import {frameworks} from '../frameworks/registry.js';
import {schemaVersion, type RunEvent} from '../events.js';
import {containerLimits} from '../options/settings/limits.js';
import type {ResolvedOptions} from '../options/types.js';
import {fileFolder, partFolder} from '../run/file-logs.js';
import type {Task} from '../run/attempts.js';
import type {UnitOf} from '../run/rerun-tests.js';
import type {Selection} from '../frameworks/framework.js';
import type {Part} from '../events.js';
import {resourcesMarker} from '../resources/probe.js';
import {splitFiles} from './split.js';
import {inImageList, listedFiles} from './file-list.js';
import {readKnown} from './history.js';
import {select} from './select.js';
import type {ShardPlan, Timings} from './shard.js';

/** What is decided before the first file, beyond the options: which files, how many at once, where, and each file's job. */
export type Plan = {
	files: string[];
	concurrency: number;
	/** Lines for a person about what could not be done as asked. */
	notes: string[];
	/** Where the files run, when that is more than one place. */
	engines?: Array<{name: string; slots: number}>;
	/** The id of the image the files run in, when the backend told it. */
	imageId?: string;
	shard?: ShardPlan;
	/** Each file's expected milliseconds, from the timings of earlier runs, when any are known. */
	expectedMs?: Record<string, number>;
	/** What the slots run, longest first: each file, or the parts of a file split by its tests. */
	tasks: Task[];
	/** How the run's framework names a file's tests for its filters, when the run can pick them (a retry then runs only the failed ones). */
	unit?: (file: string) => UnitOf;
	/**
	A file's job; with `run`, for one part of it (its folder of the output dir inside the file's), or only
	the tests `selection` names; `repro`: as `baleen repro` runs it again, its command not measured.
	*/
	job: (file: string, slot: number, run?: {part?: Part; selection?: Selection; repro?: boolean}) => Job;
};

/** The margin a janitor should allow past a job's own timeout before it calls what it left abandoned. */
const deadlineMarginMs = 60_000;
/** How long a slot's sandbox may be needed when the number of files is not known yet (--find-in-image). */
const unknownRunMs = 24 * 60 * 60 * 1000;

/** The files known before the backend is asked anything: a list given as such, or the patterns matched on the host; undefined when they are to be found in the image. */
async function foundBeforeBackend(options: ResolvedOptions): Promise<string[] | undefined> {
	if (options.files) {
		return options.findInImage ? inImageList(options.files) : listedFiles(options.files, options.cwd);
	}

	// A preset's patterns reach far (`**/*.test.js`): what it leaves out (node_modules) is not walked into.
	return options.findInImage ? undefined : discover(options.patterns, options.cwd, options.framework ? options.exclude : []);
}

/** What the run takes as its files from the files found: each one, or what the framework runs (go: each package's folder). */
function unitsOf(options: ResolvedOptions, found: string[]): string[] {
	const units = options.framework === undefined ? undefined : frameworks[options.framework].units;
	return units && !options.files ? units(found) : found;
}

/** `no file matches tests/tset_b.py`: the patterns of several that found nothing (alone, one is an error). */
function unmatchedNote(options: ResolvedOptions, found: readonly string[]): string[] {
	const missed = options.files ? [] : unmatched(options.patterns, found);
	return missed.length > 0 && missed.length < options.patterns.length ? [`no file matches ${missed.join(', ')}`] : [];
}

/** What a job brings out of its container: the framework's results file, and the artifacts into the file's folder (a part's, inside it). */
function copyOutFor(options: ResolvedOptions, file: string, part?: Part): Pick<Job, 'copyOut'> {
	const artifacts = options.outputDir !== undefined && options.artifacts
		? {paths: [...options.artifacts], into: path.join(partFolder(fileFolder(options.outputDir, file), part), 'artifacts')}
		: undefined;
	return options.results === undefined && !artifacts ? {} : {copyOut: {
		...(options.results !== undefined && {results: options.results}),
		...(artifacts && {artifacts}),
	}};
}

/** The command of the run's preset for a selection of a file's tests, its program looked up in the image once for the whole run. */
async function presetCommandFor(options: ResolvedOptions, lookup: Omit<LookupJob, 'framework'>, backend: Backend): Promise<(selection?: Selection) => string> {
	if (options.framework === undefined) {
		throw new Error('a run without a command has a framework, as resolving its options made sure');
	}

	const framework = frameworks[options.framework];
	const program = await lookUpProgram({framework, ...lookup}, backend);
	return selection => presetCommand(framework, program, options.results ?? framework.results.path, selection);
}

/**
How the run's tests are named for the framework's filters, when it can pick some of a file's: its
preset's own command runs, and the tests are read from its report (the backend copies it out).
*/
function unitsOfTests(options: ResolvedOptions): Plan['unit'] {
	const split = options.framework === undefined ? undefined : frameworks[options.framework].split;
	return split && options.command === undefined && options.results !== undefined
		? file => test => split.unit(test, file)
		: undefined;
}

/**
`emit` passes on what happens before the run starts (a build's output); aborting `signal` stops a build.
`shared`: timings kept elsewhere (a queue's server), over this machine's own.
*/
export async function plan(options: ResolvedOptions, backend: Backend, emit: (event: RunEvent) => void = () => undefined, signal?: AbortSignal, shared: Timings = {}): Promise<Plan> {
	const {cwd, image, runId} = options;
	const env = [...options.env];
	const binds = [...options.mounts];
	const timeoutMs = options.timeoutSeconds * 1000;

	const patterns = options.patterns.length > 0 ? options.patterns.join(' ') : '(no pattern given)';
	const noFile = (where: string) => new BaleenError(`no file matches ${patterns} in ${where}`);
	const {history} = options;
	// Read once: what narrows the files and what splits them.
	const {recorded, current} = readKnown(history);
	const narrow = (found: readonly string[]) => select(found, {
		exclude: options.exclude,
		shard: options.shard,
		...(options.lastFailed && {lastFailed: {run: current.lastRun, where: history.lastRun}}),
		// Every shard splits by the timings as recorded, which no shard changes; the shards' records count from the next run on.
		timings: {...(options.shard ? recorded.timings : current.timings), ...shared},
	});
	// Host files are looked for first, so a typo is told before the backend is asked anything.
	const found = await foundBeforeBackend(options);
	if (found?.length === 0) {
		throw noFile(cwd);
	}

	const notes = [...(options.notes ?? []), ...(found ? unmatchedNote(options, found) : [])];
	let selection = found && narrow(unitsOf(options, found));
	const nothingToRun = (notes: string[], shard: ShardPlan | undefined): Plan => ({
		files: [], tasks: [], concurrency: 0, notes, ...(shard && {shard}), job() {
			throw new Error('a plan without files has no jobs');
		},
	});
	if (selection?.files.length === 0) {
		return nothingToRun([...notes, ...selection.notes], selection.shard);
	}

	let files = selection?.files ?? [];

	const owner = `${hostname()}:${process.pid}`;
	// A word of the caller's (a CI job's id, a test suite's) that tells its runs from others' on a shared engine.
	const tag = process.env.BALEEN_TAG;
	const labels = (lifetimeMs: number) => ({
		'baleen.run': runId,
		'baleen.owner': owner,
		...(tag && {'baleen.tag': tag}),
		'baleen.deadline': new Date(Date.now() + lifetimeMs + deadlineMarginMs).toISOString(),
	});

	const limits = containerLimits(options);
	const slotted = options.isolate === 'slot';
	/**
	A throwaway container that looks around the image before the run, as a test's would be but for its `role`,
	in the first slot's network namespace (joining the holder's starts in 0.2 s here, a namespace of its own
	0.5 s). With `--isolate slot`, the first slot's container instead, made as its files' are (limits too): it
	then runs that slot's first file, which saves making a container before the run (0.6 s here).
	*/
	const lookAround = (role: string): LookupJob['spec'] => ({
		image, env, workdir: options.workdir, binds, labels: {...labels(timeoutMs), 'baleen.role': role}, network: options.network, ...(slotted && limits && {limits}),
	});
	const lookIn = {slot: 0};

	const context = options.build === undefined ? undefined : path.resolve(cwd, options.build);
	if (context) {
		emit({schema: schemaVersion, type: 'build-start', image, context});
	}

	// A slot's sandbox lives as long as the run could: every file to its timeout, one after another.
	const runLifeMs = files.length > 0 ? files.length * timeoutMs : unknownRunMs;
	const prepared = await backend.prepare({
		runId,
		image,
		network: options.network,
		binds,
		engineWaitMs: options.engineWaitSeconds * 1000,
		signal,
		...(context && {build: {directory: context, labels: {'baleen.context': context}, onLine(line: string) {
			emit({schema: schemaVersion, type: 'build-output', image, line});
		}}}),
		...(options.isolate === 'slot'
			? {slots: {labels: labels(runLifeMs), ...(options.isolateReuse !== undefined && {reuse: options.isolateReuse})}}
			: !options.freshNetwork && {sandboxes: {labels: labels(runLifeMs)}}),
	});

	if (!selection) {
		if (options.patterns.length === 0) {
			throw new BaleenError('--find-in-image needs patterns to match in the image, e.g. \'features/**/*.feature\'');
		}

		const inImage = await findInImage({
			patterns: options.patterns,
			spec: lookAround('find'),
			timeoutMs,
			...lookIn,
		}, backend);
		if (inImage.length === 0) {
			throw noFile(`the image ${image}${options.workdir ? ` at ${options.workdir}` : ''}`);
		}

		notes.push(...unmatchedNote(options, inImage));
		selection = narrow(unitsOf(options, inImage));
		files = selection.files;
		if (files.length === 0) {
			return nothingToRun([...notes, ...prepared.notes, ...selection.notes], selection.shard);
		}
	}

	if (slotted) {
		// The other slots' containers are made while the first slot's looks around (the slots a run of these files can fill).
		const filled = Math.min(options.concurrency ?? prepared.slots, files.length);
		for (let slot = 1; slot < filled; slot++) {
			backend.ahead?.({file: '(slot)', spec: {...lookAround('slot'), cmd: []}, timeoutMs, slot});
		}
	}

	const given = options.command;
	const command = given === undefined ? await presetCommandFor(options, {spec: lookAround('lookup'), timeoutMs, ...lookIn}, backend) : () => given;

	const unit = unitsOfTests(options);
	const slots = options.concurrency ?? prepared.slots;
	const tasks = splitFiles(files, {
		when: options.split,
		slots,
		expected: selection?.expectedMs && new Map(Object.entries(selection.expectedMs)),
		tests: current.tests ?? {},
		unit,
	});
	// No more slots than tasks: run-start tells how many will really run at once.
	const concurrency = Math.min(slots, tasks.length);

	// A slot's container (`--isolate slot`) outlives its files: its cgroup's figures are no one file's.
	const marker = slotted ? undefined : resourcesMarker(randomBytes(8).toString('hex'));
	return {
		files,
		concurrency,
		notes: [...notes, ...prepared.notes],
		...(prepared.engines && {engines: prepared.engines}),
		...(prepared.imageId && {imageId: prepared.imageId}),
		...(selection?.shard && {shard: selection.shard}),
		...(selection?.expectedMs && {expectedMs: selection.expectedMs}),
		tasks,
		...(unit && {unit}),
		job: (file, slot, {part, selection, repro = false} = {}) => ({
			file,
			timeoutMs,
			slot,
			spec: {
				image,
				cmd: commandLine(command(selection), file, options.before, options.args, repro ? undefined : marker, options.results),
				env: [...env, `BALEEN_FILE=${file}`, `BALEEN_RUN_ID=${runId}`],
				workdir: options.workdir,
				binds,
				// Twice its timeout: the container may be made ahead while the slot's file before it runs out its own.
				labels: {...labels(2 * timeoutMs), 'baleen.file': file},
				network: options.network,
				...(limits && {limits}),
			},
			...copyOutFor(options, file, part),
			...(options.keepFailed && {keep: true}),
			...(!repro && marker !== undefined && {marker}),
		}),
	};
}
