import type {
	FileResult, Part, RunEnd, RunEvent, RunStart,
} from '../events.js';
import {detailed, needsDetails, type Detailed} from '../words/lines.js';
import {emptyTotals, tally, type Totals} from './summary.js';

export type RunningTest = {
	file: string;
	containerId: string;
	/** Milliseconds since the epoch. */
	startedAt: number;
	lastLine?: string;
	/** 1 for a file's first run; with `maxAttempts`, what a retry shows on its row. */
	attempt: number;
	maxAttempts: number;
	/** The engine it runs on, in a run over several. */
	engine?: string;
	/** The part of a split file it is: each part is a row of its own while it runs. */
	part?: Part;
};

const samePart = (test: RunningTest, event: {file: string; part?: Part}) => test.file === event.file && test.part?.index === event.part?.index;

/** One engine of a run over several, as the view shows it: its files running now, its slots, its files done. */
export type EngineLoad = {name: string; slots: number; busy: number; done: number};

/**
What every view shows, computed from events alone. Its size does not grow with the files that
passed: a finished file is counted, and kept only when it failed, with as much output as its details show.
*/
export type RunState = {
	/** `--build`: the image being built and the last line of its output, until the run starts. */
	build?: {image: string; context: string; lastLine?: string};
	start?: RunStart;
	running: RunningTest[];
	/** The files finished so far, counted; `totals.summary.total` of them. */
	totals: Totals;
	/** The files that ran to an end (not cancelled) and their time: what the time left is estimated from. */
	measured: {files: number; ms: number};
	/** Attempts that ended with the file going round again (`test-retry`). */
	retries: number;
	/** What the timings of earlier runs expected of the files finished so far (their `run-start.expectedMs`, added up). */
	expectedDoneMs: number;
	/** The files whose output the summary shows, in the order they finished. */
	failures: ReadonlyArray<FileResult & Detailed>;
	/** In a run over several engines (`run-start.engines`), each one's load. */
	engines?: readonly EngineLoad[];
	end?: RunEnd;
};

export const initialState: RunState = {
	running: [], totals: emptyTotals, measured: {files: 0, ms: 0}, retries: 0, expectedDoneMs: 0, failures: [],
};

const onEngine = (engines: readonly EngineLoad[] | undefined, name: string | undefined, change: (load: EngineLoad) => EngineLoad) =>
	engines?.map(load => (load.name === name ? change(load) : load));

/** The next state; never changes the one it is given. */
export function reduceState(state: RunState, event: RunEvent): RunState {
	switch (event.type) {
		case 'build-start': {
			return {...state, build: {image: event.image, context: event.context}};
		}

		case 'build-output': {
			return state.build ? {...state, build: {...state.build, lastLine: event.line}} : state;
		}

		case 'run-start': {
			return {...state, start: event, ...(event.engines && {engines: event.engines.map(({name, slots}) => ({name, slots, busy: 0, done: 0}))})};
		}

		case 'test-start': {
			const {file, containerId, at, attempt, maxAttempts, engine, part} = event;
			return {
				...state,
				running: [...state.running, {file, containerId, startedAt: at, attempt, maxAttempts, ...(engine && {engine}), ...(part && {part})}],
				...(state.engines && {engines: onEngine(state.engines, engine, load => ({...load, busy: load.busy + 1}))}),
			};
		}

		case 'test-output': {
			return {
				...state,
				running: state.running.map(test => test.file === event.file ? {...test, lastLine: event.line} : test),
			};
		}

		case 'test-retry':
		case 'part-end': {
			const wasOn = state.running.find(test => samePart(test, event))?.engine;
			return {
				...state,
				running: state.running.filter(test => !samePart(test, event)),
				retries: state.retries + (event.type === 'test-retry' ? 1 : 0),
				...(state.engines && {engines: onEngine(state.engines, wasOn, load => ({...load, busy: load.busy - 1}))}),
			};
		}

		case 'test-end': {
			const {schema, type, ...result} = event;
			const measured = result.status === 'cancelled' ? state.measured : {files: state.measured.files + 1, ms: state.measured.ms + result.durationMs};
			// A split file's parts left their rows at their `part-end`s: its engine is then the one it tells.
			const row = state.running.find(test => test.file === event.file);
			return {
				...state,
				...(state.engines && {engines: onEngine(state.engines, row ? row.engine : event.engine, load => ({...load, busy: load.busy - (row ? 1 : 0), done: load.done + 1}))}),
				running: state.running.filter(test => test.file !== event.file),
				totals: tally(state.totals, result),
				measured,
				expectedDoneMs: state.expectedDoneMs + (state.start?.expectedMs?.[event.file] ?? 0),
				// Copied only when a file fails: the run's cost stays flat in the files that pass.
				failures: needsDetails(result) ? [...state.failures, detailed(result)] : state.failures,
			};
		}

		case 'run-end': {
			return {...state, end: event};
		}
	}
}
