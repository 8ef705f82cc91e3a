import path from 'node:path';
import {BaleenError} from '../errors.js';
import {
	foldRecords, pendingRecords, readRecord, type History,
} from '../plan/history.js';

/**
`baleen timings merge [FILE…]`: folds the records that sharded runs kept (the FILEs given, or every
shard-I-of-N.json beside the timings file) into timings.json and last-run.json, and removes them.
*/
export function mergeTimings(given: readonly string[], history: Pick<History, 'timings' | 'lastRun'>, cwd: string = process.cwd()): string[] {
	const files = given.length > 0 ? given.map(file => path.resolve(cwd, file)) : pendingRecords(history.timings);
	const shown = (file: string) => path.relative(cwd, file) || file;
	if (files.length === 0) {
		return [`no shard's record to merge beside ${shown(history.timings)}`];
	}

	const records = files.map(file => {
		const store = readRecord(file);
		if (typeof store === 'string') {
			throw new BaleenError(store.replace(file, shown(file)));
		}

		return {file, store};
	});
	let projects;
	try {
		projects = foldRecords(history, records);
	} catch (error) {
		throw new BaleenError(`cannot write ${shown(history.timings)}: ${(error as Error).message}`);
	}

	const count = `${records.length} shard ${records.length === 1 ? 'record' : 'records'}`;
	return [`merged ${count} (${projects.length > 0 ? `project ${projects.join(', ')}` : 'no project'}) into ${shown(history.timings)} and ${shown(history.lastRun)}`];
}
