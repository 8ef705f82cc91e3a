import {spawn, spawnSync, execFileSync, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {fileURLToPath} from 'node:url';
import type {RunEnd, RunEvent, RunStart, TestEnd} from '../../source/events.js';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const shellImage = 'baleen-test-shell';

export type CliResult = {
	code: number | null;
	stdout: string;
	stderr: string;
	events: RunEvent[];
	/** Peak resident memory of the baleen process, in kB, as /proc last saw it. */
	peakRssKb: number;
};

/** Arguments that run every `*.sh` of a suite folder with busybox's sh, the folder mounted as the workdir. */
export function shellArgs(directory: string, ...extra: string[]): string[] {
	return ['*.sh', '-i', shellImage, '-m', `${directory}:/suite`, '-w', '/suite', '-c', 'sh {file}', '--json', ...extra];
}

export function parseLines(stdout: string): RunEvent[] {
	return stdout.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as RunEvent);
}

function peakRss(pid: number | undefined): number {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
	} catch {
		return 0;
	}
}

export type Running = {
	child: ChildProcess;
	/** Resolves with the first event that satisfies the predicate. */
	until(predicate: (events: RunEvent[]) => boolean): Promise<RunEvent[]>;
	/** Resolves once stderr matches. */
	untilStderr(pattern: RegExp): Promise<void>;
	done: Promise<CliResult>;
};

/** Runs the built CLI; `detached` gives it a process group of its own (a CI job's, say), to signal as a whole; `input` is written to its stdin. */
export function start(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; detached?: boolean; input?: string} = {}): Running {
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd: options.cwd ?? tmpdir(),
		env: {...process.env, ...options.env},
		detached: options.detached ?? false,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	// Closed at once when there is no input, as the ignored stdin of a CI job would be.
	child.stdin.end(options.input);
	let stdout = '';
	let stderr = '';
	let peakRssKb = 0;
	const waiting: Array<{predicate: (events: RunEvent[]) => boolean; resolve: (events: RunEvent[]) => void}> = [];
	child.stdout.setEncoding('utf8').on('data', (text: string) => {
		stdout += text;
		const events = parseLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1));
		for (const waiter of waiting.filter(({predicate}) => predicate(events))) {
			waiting.splice(waiting.indexOf(waiter), 1);
			waiter.resolve(events);
		}
	});
	child.stderr.setEncoding('utf8').on('data', (text: string) => {
		stderr += text;
	});
	const stderrMatches = async (pattern: RegExp) => new Promise<void>(resolve => {
		const check = () => {
			if (pattern.test(stderr)) {
				child.stderr.off('data', check);
				resolve();
			}
		};

		child.stderr.on('data', check);
		check();
	});
	const sampler = setInterval(() => {
		peakRssKb = Math.max(peakRssKb, peakRss(child.pid));
	}, 100);

	const done = new Promise<CliResult>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', code => {
			clearInterval(sampler);
			resolve({code, stdout, stderr, events: parseLines(stdout), peakRssKb});
		});
	});

	return {
		child,
		done,
		untilStderr: stderrMatches,
		async until(predicate) {
			return new Promise(resolve => {
				waiting.push({predicate, resolve});
			});
		},
	};
}

/** Runs every `*.sh` of a suite folder with busybox's sh, the folder mounted as the workdir, JSON lines out. */
export async function inSuite(directory: string, ...extra: string[]): Promise<CliResult> {
	return baleen(shellArgs(directory, ...extra), {cwd: directory});
}

export async function baleen(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<CliResult> {
	return start(args, options).done;
}

export const testEnds = (events: RunEvent[]) => events.filter((event): event is TestEnd => event.type === 'test-end');
/** The run's start; a run that never started fails the test here, rather than passing a check of nothing. */
export function runStart(events: RunEvent[]): RunStart {
	const start = events.find((event): event is RunStart => event.type === 'run-start');
	if (!start) {
		throw new Error('the run never started: no run-start event');
	}

	return start;
}

export const runEnd = (events: RunEvent[]) => events.find((event): event is RunEnd => event.type === 'run-end');
export const byFile = (events: RunEvent[]) => new Map(testEnds(events).map(event => [event.file, event]));

/** Containers of one run still on the engine (none should ever be); they are removed, so that a failing test leaves nothing. */
export function leftovers(runId: string): string[] {
	const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=baleen.run=${runId}`], {encoding: 'utf8'}).split('\n').filter(Boolean);
	if (ids.length > 0) {
		// A removal the engine already has under way answers 409; the container goes all the same.
		spawnSync('docker', ['rm', '-f', ...ids], {stdio: 'ignore'});
	}

	return ids;
}
