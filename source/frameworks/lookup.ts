import type {Backend, JobSpec} from '../backends/backend.js';
import {probe} from '../discover/image.js';
import {BaleenError} from '../errors.js';
import type {Candidate, Framework} from './framework.js';

/**
Tries each candidate given as an argument (`node:NAME`, `path:NAME`, `python:NAME`) in turn, from the
working directory, and prints the words of the first that is there, NUL-separated; exit 1 when none
is. Only `sh` is needed (busybox's will do): no `dirname`, no `find`.
*/
export const lookupScript = [
	'for candidate in "$@"; do',
	'	kind=${candidate%%:*}',
	'	name=${candidate#*:}',
	'	case $kind in',
	'	node)',
	'		folder=$PWD',
	'		while :; do',
	'			if [ -f "$folder/node_modules/.bin/$name" ]; then',
	'				node=$(command -v node) || { echo "$folder/node_modules/.bin/$name is there, but no node on the PATH to run it" >&2; exit 3; }',
	'				printf \'%s\\0%s\\0\' "$node" "$folder/node_modules/.bin/$name"',
	'				exit 0',
	'			fi',
	'			if [ "$folder" = / ] || [ -z "$folder" ]; then break; fi',
	'			folder=${folder%/*}',
	'			folder=${folder:-/}',
	'		done ;;',
	'	path)',
	'		if found=$(command -v "$name"); then printf \'%s\\0\' "$found"; exit 0; fi ;;',
	'	python)',
	'		for python in python3 python; do',
	// Found, not imported: importing pytest takes 0.3 s here, finding it a few ms.
	'			if found=$(command -v "$python") && "$found" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec(\'$name\') is None)" >/dev/null 2>&1; then printf \'%s\\0-m\\0%s\\0\' "$found" "$name"; exit 0; fi',
	'		done ;;',
	'	esac',
	'done',
	'exit 1',
].join('\n');

/** A candidate as the script takes it: `node:cucumber-js`. */
export function candidateWord(candidate: Candidate): string {
	return 'node' in candidate ? `node:${candidate.node}` : ('path' in candidate ? `path:${candidate.path}` : `python:${candidate.python}`);
}

/** Where the candidates were looked for, for people: `node_modules/.bin/jest in /work or a folder above, jest on the PATH`. */
export function lookedIn(program: readonly Candidate[], workdir = 'the working directory'): string {
	return program.map(candidate => {
		if ('node' in candidate) {
			return `node_modules/.bin/${candidate.node} in ${workdir} or a folder above`;
		}

		return 'path' in candidate ? `${candidate.path} on the PATH` : `python3 -m ${candidate.python}`;
	}).join(', ');
}

/** The script's output: the program's words (`/usr/local/bin/node`, `/suite/node_modules/.bin/cucumber-js`). */
export function programWords(stdout: string): string[] {
	return stdout.split('\0').filter(word => word !== '');
}

export type LookupJob = {
	framework: Framework;
	/** The container to look in: image, workdir, binds, env and labels as a test's would have them. */
	spec: Omit<JobSpec, 'cmd'>;
	timeoutMs: number;
	/** The slot to look in: with `--isolate slot`, the slot's container, which then runs the slot's first file. */
	slot?: number;
};

/**
The framework's program in the image, looked for once for the whole run in a throwaway container,
from the working directory the tests will have; a usage error naming the image and where it looked
when it is not there.
*/
export async function lookUpProgram({framework, spec, timeoutMs, slot}: LookupJob, backend: Backend): Promise<string[]> {
	const cmd = ['/bin/sh', '-c', lookupScript, 'baleen-lookup', ...framework.program.map(candidate => candidateWord(candidate))];
	const end = await probe({file: '(lookup)', spec: {...spec, cmd}, timeoutMs, ...(slot !== undefined && {slot})}, backend);
	const where = `the image ${spec.image}`;
	const fail = (why: string) => new BaleenError(`the ${framework.name} preset: ${why}; give the command with --command, or use an image that has it`);
	if (end.status === 'passed') {
		const words = programWords(end.stdout);
		if (words.length > 0) {
			return words;
		}
	}

	if (end.status === 'failed' && end.exitCode === 1) {
		throw fail(`${where} has no ${candidateWord(framework.program[0]!).replace(/^\w+:/, '')} (looked for ${lookedIn(framework.program, spec.workdir)})`);
	}

	const why = end.status === 'timed-out' ? `looking for it did not finish within ${timeoutMs / 1000} s`
		: end.error ?? (end.stderr.trim().split('\n').at(-1) || `looking for it failed with exit code ${end.exitCode}`);
	throw fail(`could not look for its program in ${where}: ${why}`);
}
