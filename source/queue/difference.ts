import {createHash} from 'node:crypto';

/** What tells one file list from another whatever their order (each job may know other timings). */
export function listDigest(files: readonly string[]): string {
	return createHash('sha256').update([...new Set(files)].sort().join('\n')).digest('hex').slice(0, 16);
}

const shownFiles = 3;

const some = (files: readonly string[]) => `${files.slice(0, shownFiles).join(', ')}${files.length > shownFiles ? ` and ${files.length - shownFiles} more` : ''}`;

const count = (files: readonly string[]) => `${files.length} ${files.length === 1 ? 'file' : 'files'}`;

/** `2 files only here: a.sh, b.sh; 1 only in the queue: c.sh`: how this job's files differ from the queue's, the first few of each side. */
export function difference(here: readonly string[], queued: readonly string[]): string {
	const inQueue = new Set(queued);
	const mine = new Set(here);
	const onlyHere = [...mine].filter(file => !inQueue.has(file)).sort();
	const onlyQueued = [...inQueue].filter(file => !mine.has(file)).sort();
	return [
		...(onlyHere.length > 0 ? [`${count(onlyHere)} only here: ${some(onlyHere)}`] : []),
		...(onlyQueued.length > 0 ? [`${count(onlyQueued)} only in the queue: ${some(onlyQueued)}`] : []),
	].join('; ');
}
