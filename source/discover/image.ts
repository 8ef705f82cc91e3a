import picomatch from 'picomatch';
import {NEVER, filter, lastValueFrom} from 'rxjs';
import type {Backend, Job, JobSpec} from '../backends/backend.js';
import {BaleenError} from '../errors.js';
import type {TestEnd} from '../events.js';
import {runJob} from '../run/lifecycle.js';

/**
Lists every file under the roots given as arguments (symlinks to files too), NUL-separated, so that a name is data
whatever it holds (a newline included). Only `sh` and `find` are needed: busybox's will do. The globs
are matched on the host, since busybox's `find` knows no `**`.
*/
const findScript = [
	'command -v find >/dev/null 2>&1 || { echo "baleen: the image has no find command" >&2; exit 127; }',
	'for root in "$@"; do',
	// -L: a symlink to a file is a file, as on the host (busybox's applets are all symlinks); a link
	// that loops or dangles makes find complain and fail, but what it did find is still the list.
	'  if [ -e "$root" ]; then find -L "$root" -type f -print0 || :; fi',
	'done',
].join('\n');

/** A path or pattern as the image's `find` gives it back: `./a/` as `a`. */
export function normalize(pattern: string): string {
	return pattern.replace(/^(\.\/)+/, '').replace(/(.)\/+$/, '$1');
}

/** The folders `find` must walk: each glob's fixed leading part, or a literal path itself; `.` covers all. */
export function searchRoots(patterns: readonly string[]): string[] {
	const roots = patterns.map(pattern => {
		const normal = normalize(pattern);
		const scan = picomatch.scan(normal);
		return (scan.isGlob ? scan.base : normal) || '.';
	});
	return roots.includes('.') ? ['.'] : [...new Set(roots)];
}

const hidden = (relative: string) => relative.split('/').some(segment => segment.startsWith('.'));

/**
Like `discover` on the host: a pattern that names a file matches it, one that names a folder matches
the files below it (hidden ones aside), anything else is a glob.
*/
export function matcher(patterns: readonly string[]): (file: string) => boolean {
	const tests = patterns.map(pattern => {
		const literal = normalize(pattern);
		const glob = picomatch(literal);
		return (file: string) => {
			if (literal === '.' || literal === '') {
				return !hidden(file);
			}

			return file === literal || (file.startsWith(`${literal}/`) && !hidden(file.slice(literal.length + 1))) || glob(file);
		};
	});
	return file => tests.some(test => test(file));
}

/** The patterns that match none of the files found. */
export function unmatched(patterns: readonly string[], files: readonly string[]): string[] {
	return patterns.filter(pattern => {
		const matches = matcher([pattern]);
		return !files.some(file => matches(file));
	});
}

/** `find -print0` output into paths as the patterns name them (`./a` as `a`), each once, in a stable order. */
export function foundFiles(output: Buffer, patterns: readonly string[]): string[] {
	const matches = matcher(patterns);
	const files = output.toString('utf8').split('\0').filter(Boolean).map(file => normalize(file)).filter(file => matches(file));
	return [...new Set(files)].sort((a, b) => (a < b ? -1 : (a > b ? 1 : 0)));
}

/** A short job in a throwaway container of the image (a look around it before the run), run as a test's: its end, its output kept whole. */
export async function probe(job: Omit<Job, 'tailBytes'>, backend: Backend): Promise<TestEnd> {
	return lastValueFrom(runJob({...job, tailBytes: Number.POSITIVE_INFINITY}, backend, NEVER).pipe(filter((event): event is TestEnd => event.type === 'test-end')));
}

export type FindJob = {
	patterns: readonly string[];
	/** The container to look in: image, workdir, binds, env and labels as a test's would have them. */
	spec: Omit<JobSpec, 'cmd'>;
	timeoutMs: number;
	/** The slot to look in: with `--isolate slot`, the slot's container, which then runs the slot's first file. */
	slot?: number;
};

/**
The files the patterns match inside a throwaway container of the image, found from its workdir with
the image's own `/bin/sh` and `find`. The job lives the life of a test's (the same labels,
timeout and removal whatever happens); only its output is kept whole, since it is the file list.
*/
export async function findInImage({patterns, spec, timeoutMs, slot}: FindJob, backend: Backend): Promise<string[]> {
	const where = `${spec.image}${spec.workdir ? ` at ${spec.workdir}` : ''}`;
	const fail = (message: string) => new BaleenError(`--find-in-image in ${where}: ${message}`);
	const end = await probe({file: '(find)', spec: {...spec, cmd: ['/bin/sh', '-c', findScript, 'baleen-find', ...searchRoots(patterns)]}, timeoutMs, ...(slot !== undefined && {slot})}, backend);
	switch (end.status) {
		case 'passed': {
			return foundFiles(Buffer.from(end.stdout, 'utf8'), patterns);
		}

		case 'timed-out': {
			throw fail(`find did not finish within ${timeoutMs / 1000} s`);
		}

		case 'error': {
			const message = end.error ?? 'the engine failed';
			throw fail(/\/bin\/sh\W.*(no such file|not found)/i.test(message)
				? 'the image has no /bin/sh to run find with; list the files on the host instead (mount them and drop --find-in-image), or add a shell to the image'
				: message);
		}

		default: {
			const stderr = end.stderr.trim().split('\n').slice(-3).join('; ');
			throw fail(end.exitCode === 127 && stderr.includes('no find command') ? 'the image has no find command' : `find failed with exit code ${end.exitCode}${stderr ? `: ${stderr}` : ''}`);
		}
	}
}
