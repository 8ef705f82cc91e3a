import {
	failedFiles, schemaVersion, type RunEnd, type RunEvent, type RunStart, type TestEnd,
} from '../../source/events.js';
import {initialState, reduceState, type RunState} from '../../source/run/state.js';
import {printedBy} from '../../source/ui/printed.js';
import type {Frame} from '../../source/ui/run-view.js';

/** The clock of every fixture: the run starts at t0; times are given as ms after it. */
export const t0 = Date.parse('2025-01-01T12:00:00.000Z');

export function runStart(total: number, concurrency = 4): RunStart {
	return {
		schema: schemaVersion, type: 'run-start', runId: 'r1', startedAt: new Date(t0).toISOString(),
		total, concurrency, image: 'baleen-test-shell', engine: 'unix:///var/run/docker.sock',
	};
}

export function testStart(file: string, atMs: number, containerId = 'c0ffee1234567890abcdef'): RunEvent {
	return {schema: schemaVersion, type: 'test-start', file, containerId, at: t0 + atMs, attempt: 1, maxAttempts: 1};
}

export function testOutput(file: string, line: string): RunEvent {
	return {schema: schemaVersion, type: 'test-output', file, stream: 'stdout', line};
}

export function testEnd(file: string, status: TestEnd['status'], durationMs: number, extra: Partial<TestEnd> = {}): TestEnd {
	return {
		schema: schemaVersion, type: 'test-end', file, status, exitCode: status === 'passed' ? 0 : (status === 'failed' ? 1 : null),
		durationMs, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, attempts: 1, ...extra,
	};
}

export function runEnd(state: RunState, durationMs: number, signal?: RunEnd['signal']): RunEnd {
	const {summary, testDurationMs} = state.totals;
	const failed = failedFiles(summary) > 0;
	return {
		schema: schemaVersion, type: 'run-end', runId: 'r1', summary, durationMs, testDurationMs,
		exitCode: signal === 'SIGINT' ? 130 : (failed ? 1 : 0), ...(signal && {signal}),
	};
}

export function stateOf(events: RunEvent[]): RunState {
	return events.reduce(reduceState, initialState);
}

/** The view's frame after `events`, everything they printed in one batch. */
export function frameAfter(events: RunEvent[], now: number): Frame {
	let state = initialState;
	const items = events.flatMap(event => {
		state = reduceState(state, event);
		return printedBy(event, state);
	});
	return {state, printed: {key: 1, items}, now};
}
