import {existsSync} from 'node:fs';
import path from 'node:path';
import {BaleenError} from '../errors.js';

export const defaultTimeoutSeconds = 600;

export function parseConcurrency(value: string | number): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new BaleenError(`--concurrency must be a whole number of at least 1, not "${value}"`);
	}

	return number;
}

export const defaultEngineWaitSeconds = 60;

export function parseTimeout(value: string | number, flag = '--timeout'): number {
	const number = typeof value === 'number' ? value : Number(String(value).replace(/s$/, ''));
	if (String(value).trim() === '' || !Number.isFinite(number) || number <= 0) {
		throw new BaleenError(`${flag} must be a number of seconds greater than 0, not "${value}"`);
	}

	return number;
}

const sizeUnits: Record<string, number> = {'': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3};

/** `512m`, `1g`, `1.5g` or a number of bytes, as Docker's `--memory` takes them; at least 6 MiB, Docker's own floor. */
export function parseMemory(value: string | number): number {
	const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(value).trim());
	const unit = sizeUnits[match?.[2]?.toLowerCase() ?? 'none'];
	const bytes = match && unit ? Math.floor(Number(match[1]) * unit) : Number.NaN;
	if (!(bytes >= 6 * 1024 ** 2)) {
		throw new BaleenError(`--memory takes a size of at least 6m, e.g. 512m or 2g, not "${value}"`);
	}

	return bytes;
}

export function parseCpus(value: string | number): number {
	const number = Number(value);
	if (String(value).trim() === '' || !Number.isFinite(number) || number <= 0) {
		throw new BaleenError(`--cpus takes a number of CPUs greater than 0, e.g. 1 or 0.5, not "${value}"`);
	}

	return number;
}

export function parsePidsLimit(value: string | number): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new BaleenError(`--pids-limit takes a whole number of processes of at least 1, not "${value}"`);
	}

	return number;
}

/** A whole number of at least `least`, for `--retries` (0 and up) and `--bail` (1 and up). */
export function parseCount(flag: string, least: number, what: string) {
	return (value: string | number): number => {
		const number = typeof value === 'string' && value.trim() === '' ? Number.NaN : Number(value);
		if (!Number.isInteger(number) || number < least) {
			throw new BaleenError(`--${flag} takes a whole number of ${what} of at least ${least}, not "${value}"`);
		}

		return number;
	};
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
