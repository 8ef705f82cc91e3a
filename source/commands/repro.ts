import {spawn} from 'node:child_process';
import {hostname} from 'node:os';
import path from 'node:path';
import {rmSync} from 'node:fs';
import {BaleenError} from '../errors.js';
import {specsFile, type History} from '../plan/history.js';
import {dockerRunArgs, engineOptions, writeEnvFile} from '../run/docker-run.js';
import {readSpecs, specOf} from '../run/specs.js';

export type ReproRequest = {
	file: string;
	history: Pick<History, 'timings'>;
	/** A shell in the file's container instead of its command. */
	asShell: boolean;
	/** Whether stdin is a terminal: `docker run -t` only then. */
	tty: boolean;
};

/**
`baleen repro FILE [--shell]`: the file again in a fresh container made as the last run made its own
(the image by id, command, env, mounts, limits, workdir), through the docker command on this terminal;
resolves to its exit code. The env goes to the container through a file only its owner reads, removed after.
On the run's engine when it named one (the first, of several: each had the run's image), else on the
one the docker command reaches, as the run did.
*/
export async function repro({file, history, asShell, tty}: ReproRequest): Promise<number> {
	const specsAt = specsFile(history);
	const specs = readSpecs(specsAt);
	const spec = specOf(specs, file);
	const envFile = path.join(path.dirname(specsAt), `repro-${process.pid}.env`);
	writeEnvFile(envFile, spec.env);
	// Labelled as the run's were, so that `baleen clean` finds a container a kill -9 of this process leaves behind.
	const {'baleen.deadline': _deadline, ...labels} = spec.labels;
	const args = dockerRunArgs(spec, {
		image: spec.image, envFile, tty, asShell, labels: {...labels, 'baleen.owner': `${hostname()}:${process.pid}`, 'baleen.role': 'repro'},
	});
	try {
		return await new Promise<number>((resolve, reject) => {
			const docker = spawn('docker', [...engineOptions(specs.engines?.[0]), ...args], {stdio: 'inherit'});
			docker.on('error', error => {
				reject(new BaleenError(`baleen repro runs the docker command, which could not start: ${error.message}`));
			});
			docker.on('close', (code, signal) => {
				resolve(code ?? (signal ? 128 : 1));
			});
		});
	} finally {
		rmSync(envFile, {force: true});
	}
}
