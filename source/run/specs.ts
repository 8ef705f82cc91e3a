import {readFileSync} from 'node:fs';
import type {JobSpec} from '../backends/backend.js';
import {closest} from '../config/suggest.js';
import {BaleenError} from '../errors.js';
import {writeWhole} from '../write-whole.js';

/**
What `baleen repro` needs of the last run: each file's container as it was made (its image by id when
the backend told it), and the engines it ran on when it named them (`--engine`, a Docker context). The
env's values are in it, so the file is its owner's alone to read.
*/
export type RunSpecs = {schema: 1; runId: string; files: Record<string, JobSpec>; engines?: string[]};

/** Each file's spec, its image the id the run's image name stood for then; `engines`, the names of those the run named. */
export function runSpecs(runId: string, files: readonly string[], spec: (file: string) => JobSpec, {imageId, engines}: {imageId?: string; engines?: readonly string[]} = {}): RunSpecs {
	return {schema: 1, runId, files: Object.fromEntries(files.map(file => {
		const {image, ...rest} = spec(file);
		return [file, {image: imageId ?? image, ...rest}];
	})), ...(engines && engines.length > 0 && {engines: [...engines]})};
}

export function writeSpecs(file: string, specs: RunSpecs): void {
	writeWhole(file, `${JSON.stringify(specs, undefined, '\t')}\n`, 0o600);
}

/** The last run's specs; a usage error when there is none to read. */
export function readSpecs(file: string): RunSpecs {
	let specs: Partial<RunSpecs>;
	try {
		specs = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunSpecs>;
	} catch {
		throw new BaleenError(`no run to repro: ${file} is not there yet (a run records its files there)`);
	}

	if (specs.schema !== 1 || typeof specs.files !== 'object' || specs.files === null || typeof specs.runId !== 'string') {
		throw new BaleenError(`no run to repro: ${file} is not a record of baleen's`);
	}

	return specs as RunSpecs;
}

/** One file's spec of the last run; a usage error naming the run's files nearest to it when it had none by that name. */
export function specOf(specs: RunSpecs, file: string): JobSpec {
	const spec = Object.hasOwn(specs.files, file) ? specs.files[file] : undefined;
	if (spec) {
		return spec;
	}

	const names = Object.keys(specs.files);
	const near = closest(file, names);
	const listed = [...new Set([...(near ? [near] : []), ...names])].slice(0, listedFiles);
	const more = names.length > listed.length ? `, and ${names.length - listed.length} more` : '';
	return names.length === 0
		? usage(`the last run (${specs.runId}) ran no file`)
		: usage(`the last run (${specs.runId}) did not run ${file}${near ? `; did you mean ${near}?` : '.'} It ran ${listed.join(', ')}${more}`);
}

/** How many of the last run's files a usage error names. */
const listedFiles = 5;

function usage(message: string): never {
	throw new BaleenError(message);
}
