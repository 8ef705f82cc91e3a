import {existsSync} from 'node:fs';
import path from 'node:path';
import {BaleenError} from './errors.js';

/** What a run is asked to do; the programmatic API takes it as is, the CLI builds it from flags. */
export type RunOptions = {
	/** Globs or paths on the host, relative to `cwd`. */
	patterns: readonly string[];
	image: string;
	/** Run by the image's `/bin/sh`; `{file}` stands for the test file's path. */
	command: string;
	/** Containers at once; the engine's CPU count when absent. */
	concurrency?: number;
	workdir?: string;
	/** Shell commands run first, in the same shell as the command. */
	before?: string;
	/** `KEY=VALUE`, or `KEY` to pass the host's value on. */
	env?: readonly string[];
	/** `SRC:DST[:ro|rw]`; a relative SRC is taken from `cwd`. */
	mounts?: readonly string[];
	/** Per file; 600 when absent. */
	timeoutSeconds?: number;
	cwd?: string;
	/** Match the patterns inside a throwaway container of the image, in `workdir`, instead of on the host. */
	findInImage?: boolean;
	/** A folder with a Dockerfile (relative to `cwd`): built and tagged as `image` before the run. */
	build?: string;
	/** `bridge` (Docker's default), `none`, `host`, or a user-defined network to reach services on by name. */
	network?: string;
	/**
	A fresh network namespace for every file. By default the files a slot runs one after another share
	one (files running at the same time never do), which saves most of a short file's cost.
	*/
	freshNetwork?: boolean;
	/** Labels every container of the run; made up when absent. */
	runId?: string;
};

export const defaultTimeoutSeconds = 600;

export function parseConcurrency(value: string | number): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new BaleenError(`--concurrency must be a whole number of at least 1, not "${value}"`);
	}

	return number;
}

export function parseTimeout(value: string | number): number {
	const number = typeof value === 'number' ? value : Number(String(value).replace(/s$/, ''));
	if (String(value).trim() === '' || !Number.isFinite(number) || number <= 0) {
		throw new BaleenError(`--timeout must be a number of seconds greater than 0, not "${value}"`);
	}

	return number;
}

export function parseEnv(entry: string, host: NodeJS.ProcessEnv = process.env): string {
	const [key = '', ...rest] = entry.split('=');
	if (!/^[A-Za-z_]\w*$/.test(key)) {
		throw new BaleenError(`--env takes KEY=VALUE (or KEY to pass the host's value), not "${entry}"`);
	}

	if (rest.length > 0) {
		return entry;
	}

	const value = host[key];
	if (value === undefined) {
		throw new BaleenError(`--env ${key} passes the host's value, but ${key} is not set here; write ${key}=VALUE`);
	}

	return `${key}=${value}`;
}

/** `SRC:DST[:ro|rw]` into Docker's bind form, with SRC made absolute and checked to exist. */
export function parseMount(entry: string, cwd: string): string {
	const parts = entry.split(':');
	const mode = parts.length === 3 ? parts[2] : undefined;
	const [source = '', target = ''] = parts;
	if (parts.length < 2 || parts.length > 3 || source === '' || !target.startsWith('/') || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
		throw new BaleenError(`--mount takes SRC:DST[:ro] with an absolute DST, not "${entry}"`);
	}

	const absolute = path.resolve(cwd, source);
	if (!existsSync(absolute)) {
		throw new BaleenError(`--mount source "${source}" does not exist (looked at ${absolute})`);
	}

	return [absolute, target, ...(mode ? [mode] : [])].join(':');
}

export function requireText(value: string | undefined, flag: string, example: string): string {
	if (!value?.trim()) {
		throw new BaleenError(`${flag} is required, e.g. ${flag} ${example}`);
	}

	return value;
}
