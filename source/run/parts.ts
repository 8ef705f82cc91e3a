import path from 'node:path';
import {
	isFailure, schemaVersion, type AttemptResult, type PartEnd, type TestCase, type TestEnd, type TestStatus,
} from '../events.js';
import type {Selection} from '../frameworks/framework.js';
import type {UnitOf} from './rerun-tests.js';
import {countTests, failedTest} from '../results/tests.js';
import {joinResources} from '../resources/figures.js';

/** Of several parts' statuses, the one the file ends with: the first of these that any part has. */
const worstFirst: readonly TestStatus[] = ['timed-out', 'failed', 'error', 'cancelled', 'flaky', 'passed'];

const partName = ({part}: PartEnd) => `part ${part.index} of ${part.count}`;

/** The units of the tests a part ran that its selection did not give it. */
function notAsked(tests: readonly TestCase[], selection: Selection, unit: UnitOf): string[] {
	const named = new Set('only' in selection ? selection.only : selection.except);
	const asked = (name: string) => ('only' in selection ? named.has(name) : !named.has(name));
	return [...new Set(tests.map(test => unit(test)).filter(name => !asked(name)))];
}

/**
Why a file split by its tests must run whole after all, from one of its parts' ends: its report names
a test the part was not given (it would be counted twice: a filter that did not pick exactly), the
report could not be read (the tests it ran are not known), or the part failed and its report names no
failed test (the framework refused its filter, or a test named in it is gone); undefined when the part
told its tests. A part that timed out, errored or was cancelled tells what it is: the file ends with that.
*/
export function wholeAgain(end: PartEnd, ran?: {selection: Selection; unit: UnitOf}): string | undefined {
	const strays = ran ? notAsked(end.testcases ?? [], ran.selection, ran.unit) : [];
	if (strays.length > 0) {
		return `${partName(end)} ran tests it was not given (${strays.slice(0, 3).join(', ')}${strays.length > 3 ? ', …' : ''}): the framework's filter did not pick exactly`;
	}

	if (end.resultsError) {
		return `${partName(end)}: ${end.resultsError}`;
	}

	if (end.status === 'failed' && !end.testcases?.some(test => failedTest(test))) {
		return `${partName(end)} failed (exit code ${end.exitCode}) without a failed test in its report: the framework may not have taken its filter`;
	}

	return undefined;
}

const exitCode = (ends: readonly PartEnd[]) => ends.find(end => end.exitCode !== 0 && end.exitCode !== null)?.exitCode ?? (ends.some(end => end.exitCode === null) ? null : 0);

/** The parts' output one after another, each under a line that names it. */
function joinedOutput(ends: readonly PartEnd[], stream: 'stdout' | 'stderr'): string {
	return ends.filter(end => end[stream] !== '').map(end => `--- ${partName(end)} ---\n${end[stream]}`).join('\n');
}

const began = (end: PartEnd) => (end.endedAt ?? end.durationMs) - end.durationMs;

/**
A split file's one `test-end` from its parts' ends: the worst status of theirs (flaky when one was and
none failed), its tests each part's, its time from the first part's start to the last one's end, its
attempts the most any part had (a part is not an attempt: only retries count).
*/
export function joinParts(ends: readonly PartEnd[]): TestEnd {
	const byPart = [...ends].sort((a, b) => a.part.index - b.part.index);
	const [first] = byPart;
	if (!first) {
		throw new Error('a split file ends once its parts have');
	}

	const status = worstFirst.find(status => byPart.some(end => end.status === status)) ?? 'error';
	const testcases = byPart.every(end => end.testcases === undefined) ? undefined : byPart.flatMap(end => end.testcases ?? []);
	const earlier: AttemptResult[] = byPart.flatMap(end => end.earlier ?? []);
	const endedAt = Math.max(...byPart.map(end => end.endedAt ?? end.durationMs));
	const told = <Key extends 'error' | 'hint' | 'reason' | 'resultsError' | 'engine' | 'kept'>(key: Key) => byPart.find(end => end[key] !== undefined)?.[key];
	const [error, hint, reason, resultsError, engine] = [told('error'), told('hint'), told('reason'), told('resultsError'), told('engine')];
	// --keep-failed: the first failed part's container, to step into (each failed part's image is kept, and labelled with the run).
	const kept = told('kept');
	const artifactErrors = byPart.flatMap(end => end.artifactErrors ?? []);
	const resources = joinResources(byPart.map(end => end.resources));
	return {
		schema: schemaVersion,
		type: 'test-end',
		file: first.file,
		status,
		exitCode: exitCode(byPart),
		durationMs: endedAt - Math.min(...byPart.map(end => began(end))),
		stdout: joinedOutput(byPart, 'stdout'),
		stderr: joinedOutput(byPart, 'stderr'),
		stdoutBytes: byPart.reduce((sum, end) => sum + end.stdoutBytes, 0),
		stderrBytes: byPart.reduce((sum, end) => sum + end.stderrBytes, 0),
		...(first.containerId && {containerId: first.containerId}),
		...(engine && {engine}),
		...(error && {error}),
		...(hint && {hint}),
		...(reason && {reason}),
		...(testcases && {testcases, tests: countTests(testcases)}),
		...(resultsError && {resultsError}),
		...(artifactErrors.length > 0 && {artifactErrors}),
		...(kept && {kept}),
		// A part's folder is inside its file's (see `partFolder`).
		...(first.outputFolder && {outputFolder: path.dirname(first.outputFolder)}),
		...(byPart.some(end => end.lost) && isFailure(status) && {lost: true}),
		...(byPart.some(end => end.endedAt !== undefined) && {endedAt}),
		...(resources && {resources}),
		attempts: Math.max(...byPart.map(end => end.attempts)),
		...(earlier.length > 0 && {earlier}),
		split: {parts: first.part.count, partsMs: byPart.reduce((sum, end) => sum + end.durationMs, 0)},
	};
}
