import type {
	RunEnd, RunEvent, RunStart, Summary, TestResult,
} from '../events.js';
import {addResult, emptySummary} from './summary.js';

export type RunningTest = {
	file: string;
	containerId: string;
	/** Milliseconds since the epoch. */
	startedAt: number;
	lastLine?: string;
};

/** What every view shows, computed from events alone. */
export type RunState = {
	/** `--build`: the image being built and the last line of its output, until the run starts. */
	build?: {image: string; context: string; lastLine?: string};
	start?: RunStart;
	running: RunningTest[];
	finished: TestResult[];
	summary: Summary;
	end?: RunEnd;
};

export const initialState: RunState = {running: [], finished: [], summary: emptySummary};

export function reduce(state: RunState, event: RunEvent): RunState {
	switch (event.type) {
		case 'build-start': {
			return {...state, build: {image: event.image, context: event.context}};
		}

		case 'build-output': {
			return state.build ? {...state, build: {...state.build, lastLine: event.line}} : state;
		}

		case 'run-start': {
			return {...state, start: event};
		}

		case 'test-start': {
			return {...state, running: [...state.running, {file: event.file, containerId: event.containerId, startedAt: event.at}]};
		}

		case 'test-output': {
			return {
				...state,
				running: state.running.map(test => test.file === event.file ? {...test, lastLine: event.line} : test),
			};
		}

		case 'test-end': {
			const {schema, type, ...result} = event;
			return {
				...state,
				running: state.running.filter(test => test.file !== event.file),
				finished: [...state.finished, result],
				summary: addResult(state.summary, result),
			};
		}

		case 'run-end': {
			return {...state, end: event};
		}
	}
}
