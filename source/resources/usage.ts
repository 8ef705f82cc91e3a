import type {Resources, RunEvent, TestEnd, Usage} from '../events.js';

/** How many files the summary names as the heaviest. */
export const heaviestShown = 3;
/** A suggested `--memory` holds the highest peak with this much to spare. */
export const memoryHeadroom = 1.5;
/** A file whose peak came this close to `--memory` (a share of it) is named. */
export const nearLimitShare = 0.1;

/** What the files that ended so far took: per engine, and each measured file's figures. */
export type UsageTally = {
	/** The run's engine, as `run-start` names it: the one a file that names none ran on. */
	engine?: string;
	engines: Map<string, {containerMs: number; cpuMs: number}>;
	files: Array<{file: string} & Resources>;
};

export const emptyUsage = (): UsageTally => ({engines: new Map(), files: []});

/**
A file's `test-end` added to the tally: every attempt's lifetime, the last attempt's figures (the earlier
ones' are not kept). Added in place (a run has thousands of files), so a tally is one reduce's own.
*/
export function addUsage(tally: UsageTally, event: RunEvent): UsageTally {
	if (event.type === 'run-start') {
		return {...tally, engine: event.engine};
	}

	if (event.type !== 'test-end' || event.containerId === undefined) {
		return tally;
	}

	const name = event.engine ?? tally.engine ?? 'engine';
	const before = tally.engines.get(name) ?? {containerMs: 0, cpuMs: 0};
	tally.engines.set(name, {
		containerMs: before.containerMs + lifetimeMs(event),
		cpuMs: before.cpuMs + (event.resources?.cpuMs ?? 0),
	});
	if (event.resources) {
		tally.files.push({file: event.file, ...event.resources});
	}

	return tally;
}

const lifetimeMs = (event: TestEnd) => event.durationMs + (event.earlier ?? []).reduce((sum, attempt) => sum + attempt.durationMs, 0);
const seconds = (ms: number) => Math.round(ms) / 1000;

/** What `run-end` tells of the tally; nothing when no file was measured. `memoryLimitBytes`: the run's `--memory`. */
export function usageOf(tally: UsageTally, memoryLimitBytes?: number): Usage | undefined {
	if (tally.files.length === 0) {
		return undefined;
	}

	const byMemory = tally.files.filter(file => file.memoryPeakBytes !== undefined).sort((a, b) => b.memoryPeakBytes! - a.memoryPeakBytes!);
	const peak = byMemory[0]?.memoryPeakBytes;
	const near = memoryLimitBytes === undefined ? [] : byMemory.filter(file => file.memoryPeakBytes! >= memoryLimitBytes * (1 - nearLimitShare)).map(({file}) => file);
	return {
		engines: [...tally.engines].map(([engine, {containerMs, cpuMs}]) => ({engine, containerSeconds: seconds(containerMs), cpuSeconds: seconds(cpuMs)})),
		heaviest: byMemory.slice(0, heaviestShown),
		...(peak !== undefined && {suggestedMemoryBytes: Math.ceil(peak * memoryHeadroom)}),
		...(memoryLimitBytes !== undefined && {memoryLimitBytes}),
		...(near.length > 0 && {nearMemoryLimit: near}),
	};
}
