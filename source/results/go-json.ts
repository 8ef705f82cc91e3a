import {z} from 'zod';
import type {TestCase} from '../events.js';
import type {ResultsReader} from './reader.js';
import {milliseconds, told} from './told.js';

/** One line of test2json's stream (`go test -json`, `go tool test2json`). */
const event = z.object({
	/** `run`, `pause`, `cont`, `output`, `pass`, `fail`, `skip`, `bench`; newer go also `start`, `build-output`, `build-fail`. */
	Action: z.string(),
	Package: z.string().optional(),
	/** A test, `TestA/sub` for a subtest; absent for what is the package's. */
	Test: z.string().optional(),
	Output: z.string().optional(),
	Elapsed: z.number().optional(),
	/** Newer go (1.24) names what a build's output (`build-output`, `build-fail`) is of so. */
	ImportPath: z.string().optional(),
	/** Newer go, on a package's `fail`: the ImportPath whose build failed. */
	FailedBuild: z.string().optional(),
});

type Event = z.output<typeof event>;

/** A test as the stream tells it so far: its output, and its result once it has one. */
type Seen = {name: string; package?: string; output: string[]; result?: 'pass' | 'fail' | 'skip'; elapsed?: number};

/** A package's own output (outside its tests), and whether it failed. */
type Package = {output: string[]; failed: boolean};

const results = new Set(['pass', 'fail', 'skip']);

/** go's own framing of a test's output: not what the test said. */
const framing = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)|--- (?:PASS|FAIL|SKIP|BENCH):)/;

/** go 1.19 writes a package that did not build as a text line of the stream, not an event: `FAIL\tpkg [build failed]`. */
const failLine = /^FAIL\s+(\S+)/;

function parse(line: string): Event | undefined {
	if (!line.trimStart().startsWith('{')) {
		return undefined;
	}

	try {
		const checked = event.safeParse(JSON.parse(line));
		return checked.success ? checked.data : undefined;
	} catch {
		// A line cut short (the stream of a killed go test) is text.
		return undefined;
	}
}

/** What the stream tells: its tests in the order they started, each package's own output, and the text lines that are not events. */
function gather(text: string) {
	const tests = new Map<string, Seen>();
	const packages = new Map<string, Package>();
	/** What newer go's builds said, by ImportPath, until a package's `fail` names the one that failed it. */
	const builds = new Map<string, string[]>();
	const orphanLines: string[] = [];
	let events = 0;
	const packageOf = (name: string) => packages.get(name) ?? packages.set(name, {output: [], failed: false}).get(name)!;
	for (const line of text.split('\n')) {
		const found = parse(line);
		if (!found) {
			const failed = failLine.exec(line)?.[1];
			if (failed) {
				packageOf(failed).failed = true;
			}

			if (line.trim() !== '') {
				orphanLines.push(line);
			}

			continue;
		}

		events++;
		if (found.Package === undefined && found.ImportPath !== undefined) {
			const build = builds.get(found.ImportPath) ?? builds.set(found.ImportPath, []).get(found.ImportPath)!;
			build.push(...(found.Output === undefined ? [] : [found.Output]));
			continue;
		}

		const where = found.Package ?? '';
		if (found.Test === undefined) {
			const own = packageOf(where);
			own.output.push(...(found.Output === undefined ? [] : [found.Output]));
			if (found.Action === 'fail') {
				own.failed = true;
				own.output.unshift(...(found.FailedBuild === undefined ? [] : builds.get(found.FailedBuild) ?? []));
			}

			continue;
		}

		const key = `${where}\u0000${found.Test}`;
		const seen = tests.get(key) ?? tests.set(key, {name: found.Test, ...(found.Package && {package: found.Package}), output: []}).get(key)!;
		if (found.Action === 'output' && found.Output !== undefined) {
			seen.output.push(found.Output);
		} else if (results.has(found.Action)) {
			seen.result = found.Action as Seen['result'];
			seen.elapsed = found.Elapsed;
		}
	}

	return {tests: [...tests.values()], packages, orphanLines, events};
}

/** The lines of `output` that the test itself wrote, without go's framing. */
const said = (output: readonly string[]) => output.join('').split('\n').filter(line => line.trim() !== '' && !framing.test(line));

/** A test's message: its panic when it panicked, else the last thing it said (`t.Fatal` ends a test). */
function messageOf(lines: readonly string[]): string | undefined {
	return (lines.find(line => line.startsWith('panic: ')) ?? lines.at(-1))?.replaceAll('\t', ' ').trim();
}

function testcase(seen: Seen, packageOutput: readonly string[]): TestCase {
	const timeMs = milliseconds(seen.elapsed);
	const base = {name: seen.name, ...(seen.package && {classname: seen.package}), ...(timeMs !== undefined && {timeMs})};
	const lines = said(seen.output);
	switch (seen.result) {
		case 'pass': {
			return {...base, status: 'passed'};
		}

		case 'skip': {
			return {...base, status: 'skipped', ...told(messageOf(lines), undefined)};
		}

		case 'fail': {
			return {...base, status: 'failed', ...told(messageOf(lines), lines.join('\n'))};
		}

		default: {
			// Started, never ended: go's -timeout panicked the package, or the stream was cut short.
			const all = [...lines, ...said(packageOutput)];
			const why = messageOf(all);
			return {...base, status: 'error', ...told(`no result: the test did not finish${why ? ` (${why})` : ''}`, all.join('\n'))};
		}
	}
}

/**
A package that failed while none of its tests did (it did not build, it panicked outside a test, its
TestMain failed) is one test in `error` named by the package, so that its failure does not vanish.
*/
function packageFailure(name: string, {output}: Package, orphanLines: readonly string[]): TestCase {
	const lines = [...said(output), ...orphanLines];
	const message = lines.find(line => !failLine.test(line) && !line.startsWith('# ')) ?? lines.find(line => failLine.test(line));
	return {name: name || '(package)', status: 'error', ...told(message?.replaceAll('\t', ' '), lines.join('\n'))};
}

/**
`go test -json` (test2json's stream): one event a line; each test and subtest (`TestA/sub`) is a test of
its own, its result its `pass`, `fail` or `skip`, its output a failed test's details. Lines that are not
events are kept as the package's output. A stream cut short keeps the tests it finished.
*/
function read(text: string, path: string): TestCase[] | {problem: string} {
	const {tests, packages, orphanLines, events} = gather(text);
	if (events === 0 && ![...packages.values()].some(({failed}) => failed)) {
		return {problem: `${path} is not a go test -json stream: ${text.trim() === '' ? 'it is empty' : 'no line of it is a test2json event'}`};
	}

	const cases = tests.map(seen => testcase(seen, packages.get(seen.package ?? '')?.output ?? []));
	const failures = [...packages].filter(([name, own]) => own.failed && !tests.some(seen => (seen.package ?? '') === name && seen.result !== 'pass' && seen.result !== 'skip'))
		.map(([name, own]) => packageFailure(name, own, orphanLines));
	return [...cases, ...failures];
}

export const goJsonReader: ResultsReader = {from: 'file', keptAs: 'results.go.jsonl', read};
