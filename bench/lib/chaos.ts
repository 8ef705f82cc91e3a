/**
A run under fire: baleen runs a suite on an engine of its own while a monkey kills and removes its
containers (tests' and slots' network holders) from outside at random, and the engine is restarted once in the middle. What comes out is
checked against the rules: each file ends exactly once, with the status its fate calls for, the exit
code follows the statuses, and nothing of the run is left on the engine.
*/
import {execFile, spawn} from 'node:child_process';
import {promisify} from 'node:util';
import type {RunEnd, RunEvent, TestEnd} from '../../source/events.js';
import type {Dockerd} from './dockerd.js';

const run = promisify(execFile);

export type ChaosOptions = {
	/** The built CLI. */
	cli: string;
	/** A folder of `*.sh` files, mounted as the workdir of baleen-test-shell. */
	suite: string;
	engine: Dockerd;
	concurrency: number;
	/** The monkey's mean pause between two blows. */
	everyMs: number;
	/** The share of files ended at which the engine is restarted once. */
	restartAt: number;
	seed: number;
};

type Blow = {id: string; action: 'kill' | 'rm'};

export type ChaosReport = {
	files: number;
	durationMs: number;
	exitCode: number | null;
	statuses: Record<string, number>;
	/** Blows that landed: a container was running when it was killed or removed. */
	blows: {kill: number; rm: number};
	restartMs?: number;
	/** Attempts the engine's restart cut short, run again. */
	lostAttempts: number;
	/** Every way the run broke the rules; empty when it kept them. */
	problems: string[];
};

/** A small seeded generator (mulberry32), so a run's chaos can be played again. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const pause = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

export async function chaos({cli, suite, engine, concurrency, everyMs, restartAt, seed}: ChaosOptions): Promise<ChaosReport> {
	const next = random(seed);
	const docker = async (...args: string[]) => run('docker', ['-H', engine.host, ...args], {encoding: 'utf8'});
	const started = Date.now();
	const child = spawn(process.execPath, [cli, '*.sh', '-i', 'baleen-test-shell', '-m', `${suite}:/suite`, '-w', '/suite', '-c', 'sh {file}', '--json', '-j', String(concurrency)], {
		cwd: suite,
		env: {...process.env, DOCKER_HOST: engine.host},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const events: RunEvent[] = [];
	let partial = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (text: string) => {
		const lines = (partial + text).split('\n');
		partial = lines.pop() ?? '';
		events.push(...lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line) as RunEvent));
	});
	child.stderr.setEncoding('utf8').on('data', (text: string) => {
		stderr = (stderr + text).slice(-4000);
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	let done = false;
	void exited.then(() => {
		done = true;
	});

	const blows: Blow[] = [];
	let restartMs: number | undefined;
	const runId = async () => {
		for (;;) {
			const start = events.find(event => event.type === 'run-start');
			if (start?.type === 'run-start' || done) {
				return start?.type === 'run-start' ? start.runId : undefined;
			}

			// eslint-disable-next-line no-await-in-loop
			await pause(50);
		}
	};

	const id = await runId();
	const total = events.find(event => event.type === 'run-start')?.type === 'run-start' ? (events.find(event => event.type === 'run-start') as {total: number}).total : 0;
	while (id && !done) {
		// eslint-disable-next-line no-await-in-loop
		await pause(everyMs * 2 * next());
		const ended = events.filter(event => event.type === 'test-end').length;
		if (restartMs === undefined && ended >= total * restartAt) {
			const before = Date.now();
			// eslint-disable-next-line no-await-in-loop
			await engine.stop();
			// eslint-disable-next-line no-await-in-loop
			await engine.start();
			restartMs = Date.now() - before;
			continue;
		}

		// eslint-disable-next-line no-await-in-loop
		// Any container of the run, a slot's network holder as well as a test's.
		const listed = await docker('ps', '-q', '--no-trunc', '--filter', `label=baleen.run=${id}`, '--filter', 'status=running')
			.then(({stdout}) => stdout.split('\n').filter(Boolean), () => []);
		if (listed.length === 0) {
			continue;
		}

		const target = listed[Math.floor(next() * listed.length)]!;
		const action = next() < 0.5 ? 'kill' : 'rm';
		// eslint-disable-next-line no-await-in-loop
		if (await docker(...(action === 'kill' ? ['kill', target] : ['rm', '-f', target])).then(() => true, () => false)) {
			blows.push({id: target, action});
		}
	}

	const exitCode = await exited;
	return {
		files: total,
		durationMs: Date.now() - started,
		exitCode,
		statuses: countStatuses(events),
		blows: {kill: blows.filter(blow => blow.action === 'kill').length, rm: blows.filter(blow => blow.action === 'rm').length},
		...(restartMs !== undefined && {restartMs}),
		lostAttempts: events.filter(event => event.type === 'test-retry' && event.lost).length,
		problems: id ? [...judge(events, total, blows, exitCode), ...await left(docker, id)] : [`the run never started: ${stderr}`],
	};
}

function countStatuses(events: RunEvent[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const event of events) {
		if (event.type === 'test-end') {
			counts[event.status] = (counts[event.status] ?? 0) + 1;
		}
	}

	return counts;
}

/** What the events say against the rules, given the blows that landed. */
export function judge(events: RunEvent[], total: number, blows: Blow[], exitCode: number | null): string[] {
	const problems: string[] = [];
	const ends = events.filter((event): event is TestEnd => event.type === 'test-end');
	const runEnds = events.filter((event): event is RunEnd => event.type === 'run-end');
	if (runEnds.length !== 1) {
		problems.push(`${runEnds.length} run-end events`);
	}

	const files = new Set(events.flatMap(event => event.type === 'test-start' || event.type === 'test-end' ? [event.file] : []));
	if (ends.length !== total || new Set(ends.map(end => end.file)).size !== total || files.size > total) {
		problems.push(`${ends.length} test-end events for ${new Set(ends.map(end => end.file)).size} files of ${total}`);
	}

	const hit = new Map(blows.map(blow => [blow.id, blow.action]));
	for (const end of ends) {
		const blow = end.containerId === undefined ? undefined : hit.get(end.containerId);
		if (!blow && end.status !== 'passed') {
			problems.push(`${end.file} was not touched and ended ${end.status}: ${end.error ?? `exit ${end.exitCode}`}${end.stderr ? `, stderr ${JSON.stringify(end.stderr.slice(-300))}` : ''}`);
		}

		if (blow === 'kill' && end.status === 'failed' && end.exitCode !== 137) {
			problems.push(`${end.file} was killed and ended failed with exit ${end.exitCode}, not 137`);
		}

		if (end.earlier?.some(attempt => !attempt.lost)) {
			problems.push(`${end.file} was retried after an attempt that was not lost, with no --retries`);
		}
	}

	const failed = ends.some(end => !['passed', 'flaky'].includes(end.status));
	if (exitCode !== (failed ? 1 : 0)) {
		problems.push(`exit code ${exitCode} where the statuses call for ${failed ? 1 : 0}`);
	}

	return problems;
}

async function left(docker: (...args: string[]) => Promise<{stdout: string}>, runId: string): Promise<string[]> {
	// The run removes what it made before it exits; the reaper is a second line, given a moment.
	for (let look = 0; look < 20; look++) {
		// eslint-disable-next-line no-await-in-loop
		const {stdout} = await docker('ps', '-aq', '--filter', `label=baleen.run=${runId}`);
		if (stdout.trim() === '') {
			return [];
		}

		// eslint-disable-next-line no-await-in-loop
		await pause(250);
	}

	const {stdout} = await docker('ps', '-a', '--filter', `label=baleen.run=${runId}`, '--format', '{{.ID}} {{.Status}} {{.Label "baleen.role"}}');
	return [`left on the engine: ${stdout.trim().split('\n').join('; ')}`];
}
