import {identity, map, scan, type MonoTypeOperatorFunction, type SchedulerLike} from 'rxjs';
import type {QuarantineEntry, RunEnd, RunEvent} from '../events.js';
import type {ResolvedOptions} from '../options/types.js';
import type {QuarantineList} from './list.js';
import {matches, quarantineResult} from './match.js';

type Listed = Pick<ResolvedOptions, 'quarantineList'>;

/** An event, the entries the `test-end`s up to it matched, and whether any of them had its tests reported (without, no test can match). */
type Seen = {event?: RunEvent; matched: ReadonlySet<QuarantineEntry>; reported: boolean};

/** What `judged` goes by besides `run-end`: today (UTC), what matched, and whether the run was to run every file. */
type Judging = Omit<Seen, 'event'> & {today: string; everyFile: boolean};

/** The day a moment falls on, in UTC: `2027-01-31`. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The entries whose `expires` day is before `today` (both `YYYY-MM-DD`, UTC): the last day an entry holds is its `expires`. */
export const expiredEntries = (entries: readonly QuarantineEntry[], today: string): QuarantineEntry[] => entries.filter(entry => entry.expires !== undefined && entry.expires < today);

/** Each file's `test-end` as the quarantine list sees it (see `quarantineResult`); without a list, every event as it is. */
export function quarantined({quarantineList}: Listed): MonoTypeOperatorFunction<RunEvent> {
	return quarantineList ? map(event => (event.type === 'test-end' ? quarantineResult(event, quarantineList.entries) : event)) : identity;
}

/** Whether the run was to run every file of the suite, not a share of them (`--shard`, `--last-failed`, a list of files). */
const ofEveryFile = ({shard, lastFailed, files}: Pick<ResolvedOptions, 'shard' | 'lastFailed' | 'files'>) => shard === undefined && !lastFailed && files === undefined;

/**
`run-end` as the quarantine list judges it: its expired entries fail the run (exit 1; a cancelling signal's
code stays), and in a run that ran every file, the entries that matched nothing are named (those of a
test only when some file's tests were reported).
*/
export function judged(end: RunEnd, list: QuarantineList, {today, matched, reported, everyFile}: Judging): RunEnd {
	const expired = expiredEntries(list.entries, today);
	const ranEveryFile = everyFile && !end.signal && !end.bailed && end.summary.cancelled === 0;
	const unmatched = ranEveryFile ? list.entries.filter(entry => !matched.has(entry) && (entry.test === undefined || reported)) : [];
	return {
		...end,
		...(expired.length > 0 && {quarantineExpired: expired, exitCode: end.signal ? end.exitCode : 1}),
		...(unmatched.length > 0 && {quarantineUnmatched: unmatched}),
	};
}

/**
Judges `run-end` by the quarantine list (see `judged`), from the entries the `test-end`s before it
matched; today is the scheduler's. Without a list, every event as it is.
*/
export function judgedByQuarantine(options: Listed & Pick<ResolvedOptions, 'shard' | 'lastFailed' | 'files'>, scheduler: SchedulerLike): MonoTypeOperatorFunction<RunEvent> {
	const list = options.quarantineList;
	if (!list) {
		return identity;
	}

	const everyFile = ofEveryFile(options);
	return events$ => events$.pipe(
		scan<RunEvent, Seen, Seen>(({matched, reported}, event) => {
			const ended = event.type === 'test-end';
			const found = ended ? list.entries.filter(entry => !matched.has(entry) && matches(entry, event)) : [];
			return {event, matched: found.length > 0 ? new Set([...matched, ...found]) : matched, reported: reported || (ended && event.testcases !== undefined)};
		}, {matched: new Set(), reported: false}),
		map(({event, ...seen}) => (event?.type === 'run-end' ? judged(event, list, {...seen, today: utcDay(scheduler.now()), everyFile}) : event!)),
	);
}
