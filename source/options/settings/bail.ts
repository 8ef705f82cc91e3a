import {failedFiles, isFailure, type Summary} from '../../events.js';
import {option} from '../declaration.js';
import {numberFromText, wholeNumber} from './kinds.js';

/** `--bail [N]`: after N files did not pass, no new file starts; running ones finish, the rest end cancelled. */
export const bail = option({
	name: 'bail',
	type: 'string',
	value: '[N]',
	help: 'After N files failed (default: 1), start no new file; running ones finish,\nthe rest end cancelled',
	section: 'Options',
	alone: {means: '1', takes: /^\d+$/},
	fromText: numberFromText,
	schema: wholeNumber('expected a whole number of failed files of at least 1', 1).optional(),
});

/** The files --bail counts: those that did not pass (failed, timed out or errored; not a cancelled one). */
export const countsForBail = isFailure;

/** Whether so many files counted stop the run from starting more: never without --bail. */
export const bailReached = (failures: number, bail: number | undefined): boolean => bail !== undefined && failures >= bail;

/** A run --bail stopped: some files did not run because enough had failed (a cancelled run's are the cancel's). */
export const bailed = (summary: Summary, bail: number | undefined): boolean => summary.cancelled > 0 && bailReached(failedFiles(summary), bail);
