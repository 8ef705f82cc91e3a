import type {QuarantineEntry, QuarantineMark, RunEnd} from '../events.js';
import {printable} from './format.js';

/** Why and whose, as every report tells a quarantine: `races the clock (@alice, until 2027-01-31)`. */
export function quarantineWords({reason, owner, expires}: QuarantineMark): string {
	return `${reason} (${owner}${expires === undefined ? '' : `, until ${expires}`})`;
}

/** What an entry names: `"adds" in test/a.spec.js`, `"adds"`, or a file (or glob) quarantined whole. */
export function entryName({test, file}: Pick<QuarantineEntry, 'test' | 'file'>): string {
	const named = test === undefined ? file! : `"${test}"${file === undefined ? '' : ` in ${file}`}`;
	return printable(named);
}

/** A line for each expired entry of the quarantine list: each failed the run. */
export const expiredLines = (end: Pick<RunEnd, 'quarantineExpired'>): string[] => (end.quarantineExpired ?? [])
	.map(entry => `Quarantine expired: ${entryName(entry)}, owner ${printable(entry.owner)}, expired ${entry.expires!} (${printable(entry.reason)})`);

/** A line for each entry of the quarantine list that matched nothing in a run of every file. */
export const unmatchedLines = (end: Pick<RunEnd, 'quarantineUnmatched'>): string[] => (end.quarantineUnmatched ?? [])
	.map(entry => `Note: the quarantine entry ${entryName(entry)} (owner ${printable(entry.owner)}) matched nothing in this run`);

/** The summary's lines about the quarantine list: each expired entry, then each that matched nothing. */
export const quarantineLines = (end: Pick<RunEnd, 'quarantineExpired' | 'quarantineUnmatched'>): string[] => [...expiredLines(end), ...unmatchedLines(end)];
