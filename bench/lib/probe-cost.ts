/**
What measuring (source/resources/probe.ts) adds to each file's container, taken where it is spent: a
file's script, as baleen makes it with and without measuring, run `runs` times inside one container,
and the CPU its processes took (the `times` builtin of the shell that ran them), per run. A round of
the throughput bench varies by more than 2 % on a shared machine; this is the cost itself, which the
bench then weighs against a run's time per file.
*/
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {containerCommand} from '../../source/command.js';
import {resourcesMarker} from '../../source/resources/probe.js';
import {median} from './measure.js';

const run = promisify(execFile);

/** The children's user and system time of `times`' last line (`0m0.750s 0m0.730s`), in ms. */
function childrenMs(times: string): number {
	const last = times.trim().split('\n').at(-1) ?? '';
	return [...last.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, minutes, seconds]) => sum + (Number(minutes) * 60 + Number(seconds)) * 1000, 0);
}

/** The CPU ms of one run of `script` in `image`, the median of `rounds` containers of `runs` runs each. */
async function cpuPerRun(image: string, label: string, script: string, runs: number): Promise<number> {
	const loop = `i=0; while [ $i -lt ${runs} ]; do sh -c "$1" sh a.sh 2>/dev/null; i=$((i + 1)); done; times`;
	const {stdout} = await run('docker', ['run', '--rm', '--label', label, image, 'sh', '-c', loop, 'sh', script]);
	return childrenMs(stdout) / runs;
}

export type ProbeCost = {plainMs: number; measuredMs: number};

/** Plain and measured, alternated for `rounds`, so that the machine's noise hits both alike. */
export async function probeCost(image: string, label: string, {runs = 200, rounds = 3} = {}): Promise<ProbeCost> {
	const [, , plain] = containerCommand('true', 'a.sh');
	const [, , measured] = containerCommand('true', 'a.sh', undefined, [], resourcesMarker('0123456789abcdef'));
	const plainMs: number[] = [];
	const measuredMs: number[] = [];
	for (let round = 0; round < rounds; round++) {
		plainMs.push(await cpuPerRun(image, label, plain!, runs));
		measuredMs.push(await cpuPerRun(image, label, measured!, runs));
	}

	return {plainMs: median(plainMs), measuredMs: median(measuredMs)};
}

/** The cost as a share of the machine's time per file in a run: `runMs` of wall time on `cpus` for `files`. */
export function probeLine({plainMs, measuredMs}: ProbeCost, runMs: number, cpus: number, files: number): string {
	const perFileMs = runMs * cpus / files;
	const share = (measuredMs - plainMs) / perFileMs;
	return `measuring: ${(measuredMs - plainMs).toFixed(1)} ms of CPU more per file in its container (${plainMs.toFixed(1)} → ${measuredMs.toFixed(1)} ms), `
		+ `${(share * 100).toFixed(2)} % of the ${perFileMs.toFixed(0)} ms of machine time (${cpus} CPUs × the median run) a file took: ${share <= 0.02 ? 'met' : 'NOT met'} (≤ 2 %)`;
}
