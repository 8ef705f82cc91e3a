import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {JobSpec} from '../backends/backend.js';
import {shellWord} from '../shell-word.js';

/** The shell a person is given in a file's container: the image's `/bin/sh`, interactive. */
const shell = {entrypoint: '/bin/sh', args: ['-i']};

/**
The arguments of `docker run` that make a container as a job's was: its workdir, env (read from
`envFile`, so that no value is on the command line), mounts, network and limits, on an interactive
terminal (`tty`) and removed at its end. `shell`: the image's shell instead of the job's command.
*/
export function dockerRunArgs(spec: JobSpec, {image, envFile, tty = true, asShell = false, labels = {}}: {
	image: string;
	envFile?: string;
	tty?: boolean;
	asShell?: boolean;
	labels?: Record<string, string>;
}): string[] {
	const {limits} = spec;
	return [
		'run', '--rm', tty ? '-it' : '-i',
		...(envFile === undefined ? [] : ['--env-file', envFile]),
		...(spec.workdir ? ['-w', spec.workdir] : []),
		...spec.binds.flatMap(bind => ['-v', bind]),
		...(spec.network ? ['--network', spec.network] : []),
		...(limits?.memoryBytes === undefined ? [] : ['--memory', String(limits.memoryBytes), '--memory-swap', String(limits.memoryBytes)]),
		...(limits?.cpus === undefined ? [] : ['--cpus', String(limits.cpus)]),
		...(limits?.pidsLimit === undefined ? [] : ['--pids-limit', String(limits.pidsLimit)]),
		...Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
		...(asShell ? ['--entrypoint', shell.entrypoint, image, ...shell.args] : [image, ...spec.cmd]),
	];
}

/**
A kept image carries the labels of the run's container (a commit keeps them), and a container made from
it would inherit them: the run's reaper, `baleen clean` and every run's sweep would take the person's
shell for the run's leftover (its baleen gone, its deadline past) and remove it under them. Blanked.
*/
const notTheRuns = {'baleen.run': '', 'baleen.owner': '', 'baleen.deadline': ''};

/**
The docker CLI's options that reach `engine`, as a run names it (see pool/choice.ts): a host URL
(`-H`), else a context's name (`--context`); none without one, for the engine the CLI reaches itself
(DOCKER_HOST's, or the current context's), which is then the run's.
*/
export function engineOptions(engine?: string): string[] {
	if (engine === undefined) {
		return [];
	}

	return engine.includes('://') ? ['-H', engine] : ['--context', engine];
}

/** The command a person types to open a shell in a kept image, as the job's container was, on the `engine` it ran on; no env value is in it. */
export function shellCommand(spec: JobSpec, image: string, envFile: string, engine?: string): string {
	return ['docker', ...engineOptions(engine), ...dockerRunArgs(spec, {image, envFile, asShell: true, labels: notTheRuns})].map(word => shellWord(word)).join(' ');
}

/** A job's env as `docker run --env-file` reads it, in a file only its owner can read: the values are nobody else's to see. */
export function writeEnvFile(file: string, env: readonly string[]): void {
	mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	writeFileSync(file, env.map(entry => `${entry}\n`).join(''), {mode: 0o600});
	// A file that was there keeps its mode through writeFileSync.
	chmodSync(file, 0o600);
}
