import {spawn, spawnSync, execFileSync, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {after} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {RunEnd, RunEvent, RunStart, TestEnd} from '../../source/events.js';
import {until} from './poll.js';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const shellImage = 'baleen-test-shell';

/**
`docker run` options that clear the run's labels, which an image `--keep-failed` kept carries, as the command
baleen prints for it does: a container run from it would otherwise be the run's, and the run's reaper, still
ending, could remove it under the test ("marked for removal and cannot be started").
*/
export const notTheRun = ['--label', 'baleen.run=', '--label', 'baleen.owner=', '--label', 'baleen.deadline='];

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
	/** Resolves with the first event that satisfies the predicate; rejects if the CLI exits first, with its exit and the end of its stderr. */
	until(predicate: (events: RunEvent[]) => boolean): Promise<RunEvent[]>;
	/** Resolves once stderr matches; rejects if the CLI exits first. */
	untilStderr(pattern: RegExp): Promise<void>;
	done: Promise<CliResult>;
	/** Ends the CLI if it still runs, and then its reaper: every test's cleanup does it (see `start`). */
	stop(): Promise<void>;
};

const stderrTailChars = 2000;

/** Why a wait for the CLI failed: it exited first, as it says at the end of its stderr. */
function exitedBefore(what: string, {code, signal}: {code: number | null; signal: NodeJS.Signals | null}, stderr: string): Error {
	const exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
	const tail = stderr.length > stderrTailChars ? `…${stderr.slice(-stderrTailChars)}` : stderr;
	return new Error(`baleen ${exit} before ${what}; its stderr ended:\n${tail}`);
}

/** The reapers a running CLI started: its children running reaper/watch.js (each is detached: its own session). */
function reapersOf(pid: number): number[] {
	const children = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], {encoding: 'utf8'}).stdout.split('\n');
	return children.filter(line => line.includes('reaper/watch.js')).map(line => Number.parseInt(line.trim(), 10));
}

/** Gone, or a zombie whose parent has yet to reap it. */
function ended(pid: number): boolean {
	try {
		return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.startsWith('Z');
	} catch {
		return true;
	}
}

/** Sends a signal to a pid (a negative one: its process group) that may have ended meanwhile. */
function signal(pid: number, name: NodeJS.Signals) {
	try {
		process.kill(pid, name);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
			throw error;
		}
	}
}

/** How long a reaper of a killed CLI may take to remove the run's containers before it is killed too (an engine that does not answer keeps it trying for 10 minutes). */
const reaperGraceMs = 30_000;

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
	let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	const waiting: Array<{predicate: (events: RunEvent[]) => boolean; resolve: (events: RunEvent[]) => void; reject: (error: Error) => void}> = [];
	const eventsSoFar = () => parseLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1));
	child.stdout.setEncoding('utf8').on('data', (text: string) => {
		stdout += text;
		const events = eventsSoFar();
		for (const waiter of waiting.filter(({predicate}) => predicate(events))) {
			waiting.splice(waiting.indexOf(waiter), 1);
			waiter.resolve(events);
		}
	});
	child.stderr.setEncoding('utf8').on('data', (text: string) => {
		stderr += text;
	});
	const stderrMatches = async (pattern: RegExp) => new Promise<void>((resolve, reject) => {
		const check = () => {
			if (pattern.test(stderr)) {
				child.stderr.off('data', check);
				child.off('close', exited);
				resolve();
			}
		};

		const exited = () => {
			child.stderr.off('data', check);
			reject(exitedBefore(`its stderr matched ${pattern}`, exit!, stderr));
		};

		child.stderr.on('data', check);
		check();
		if (exit) {
			exited();
		} else {
			child.once('close', exited);
		}
	});
	const sampler = setInterval(() => {
		peakRssKb = Math.max(peakRssKb, peakRss(child.pid));
	}, 100);

	// 'close' comes after the last of stdout and stderr: an event the CLI wrote as it exited was seen first.
	const done = new Promise<CliResult>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearInterval(sampler);
			exit = {code, signal};
			for (const waiter of waiting.splice(0)) {
				waiter.reject(exitedBefore('the event awaited came', exit, stderr));
			}

			resolve({code, stdout, stderr, events: parseLines(stdout), peakRssKb});
		});
	});

	const running: Running = {
		child,
		done,
		untilStderr: stderrMatches,
		async until(predicate) {
			return new Promise((resolve, reject) => {
				const events = eventsSoFar();
				if (predicate(events)) {
					resolve(events);
				} else if (exit) {
					reject(exitedBefore('the event awaited came', exit, stderr));
				} else {
					waiting.push({predicate, resolve, reject});
				}
			});
		},
		async stop() {
			if (exit || child.pid === undefined) {
				return; // Ended on its own: its reaper looks at the engine once and leaves.
			}

			const reapers = reapersOf(child.pid);
			// Killed, it cannot leave its containers: that is the reaper's case, which removes them and exits.
			signal(options.detached ? -child.pid : child.pid, 'SIGKILL');
			await done.catch(() => undefined);
			await Promise.all(reapers.map(async pid => until(() => ended(pid), `the reaper (pid ${pid}) of a killed baleen to exit`, reaperGraceMs).catch(() => {
				signal(pid, 'SIGKILL');
			})));
		},
	};
	// Whatever way the test that started it ends (an assertion failed, an event never came), the CLI and its reaper do not outlive it.
	after(async () => running.stop());
	return running;
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

/** The ids of one run's containers on the engine, a removal under way or not. */
export const containersOf = (runId: string) => execFileSync('docker', ['ps', '-aq', '--filter', `label=baleen.run=${runId}`], {encoding: 'utf8'}).split('\n').filter(Boolean);

/**
Waits until none of a run's containers is on the engine: another run's sweep at its start may be
removing some of them too, and the engine lists a container until its removal ends.
*/
export async function runGone(runId: string, limitMs = 20_000): Promise<void> {
	await until(() => containersOf(runId).length === 0, `the containers of run ${runId} to go`, limitMs);
}

/** Containers of one run still on the engine (none should ever be); they are removed, so that a failing test leaves nothing. */
export function leftovers(runId: string): string[] {
	const ids = containersOf(runId);
	if (ids.length > 0) {
		// A removal the engine already has under way answers 409; the container goes all the same.
		spawnSync('docker', ['rm', '-f', ...ids], {stdio: 'ignore'});
	}

	return ids;
}
