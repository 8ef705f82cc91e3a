import type {RunEvent, RunStart, TestStatus} from '../events.js';

/** A place one file at a time runs in: a slot of an engine. */
export type Lane = {
	/** Which run of the events it is of (0 but in a merge of several). */
	run: number;
	engine: string;
	slot: number;
	/** Milliseconds its attempts took, and the rest of the run's span it sat idle. */
	busyMs: number;
	idleMs: number;
	/** Of `idleMs`, the part after its last attempt ended, while the run went on elsewhere. */
	idleAtEndMs: number;
};

/** One attempt at one file in one container: a bar of the timeline. Times are milliseconds from the timeline's origin. */
export type Bar = {
	/** Its lane, as an index into `Timeline.lanes`. */
	row: number;
	file: string;
	containerId: string;
	attempt: number;
	/** What came of this attempt; the file's last attempt carries the file's status (`flaky` included). */
	status: TestStatus | 'unfinished';
	/** Lost to the engine: it says nothing about the test. */
	lost: boolean;
	/** Whether the file ran again after it. */
	retried: boolean;
	/** When the attempt began (its container being made), when the container started, when it ended. */
	x: number;
	startedX: number;
	width: number;
	/** Room for a file split into parts (issue 21), each its own attempt; no part is told yet. */
	part?: {index: number; count: number};
};

/** A file that held the run long, and the share of the run's span that is. */
export type Holder = {file: string; ms: number; share: number};

export type Timeline = {
	/** Milliseconds since the epoch of x = 0: the first run's start. */
	origin: number;
	/** From the origin to the last end: the whole span the report covers. */
	spanMs: number;
	lanes: Lane[];
	bars: Bar[];
	busyMs: number;
	idleMs: number;
	idleAtEndMs: number;
	/** The slowest files (their attempts added up), longest first. */
	slowest: Holder[];
	/** The attempt that ended last: the run waited for it. */
	last?: Pick<Bar, 'file' | 'containerId' | 'x' | 'width'>;
};

/** How many of the slowest files the critical path names. */
export const slowestCount = 10;

type Open = {file: string; containerId: string; attempt: number; at: number; engine: string; slot?: number; run: number};
type Ended = Open & {status: Bar['status']; lost: boolean; retried: boolean; begin: number; end: number};

/** Each attempt that started, with how it ended; the runs of the events (`run-start`s) with their span. */
function attemptsOf(events: readonly RunEvent[]): {attempts: Ended[]; runs: Array<{start: RunStart; from: number; to: number}>} {
	const attempts: Ended[] = [];
	const runs: Array<{start: RunStart; from: number; to: number}> = [];
	let open = new Map<string, Open>();
	// A split file's parts run at once, each its own container: the part tells them apart.
	const key = (file: string, attempt: number, part?: {index: number}) => `${attempt}\u0000${part?.index ?? 0}\u0000${file}`;
	const close = () => {
		const last = runs.at(-1);
		for (const started of open.values()) {
			attempts.push({...started, status: 'unfinished', lost: false, retried: false, begin: started.at, end: Math.max(started.at, last?.to ?? started.at)});
		}

		open = new Map();
	};

	for (const event of events) {
		switch (event.type) {
			case 'run-start': {
				close();
				const from = Date.parse(event.startedAt);
				runs.push({start: event, from, to: from});
				break;
			}

			case 'test-start': {
				const run = runs.length - 1;
				open.set(key(event.file, event.attempt, event.part), {
					file: event.file, containerId: event.containerId, attempt: event.attempt, at: event.at, run,
					engine: event.engine ?? runs[run]?.start.engine ?? '', ...(event.slot !== undefined && {slot: event.slot}),
				});
				runs[run]!.to = Math.max(runs[run]!.to, event.at);
				break;
			}

			case 'test-retry':
			case 'part-end':
			case 'test-end': {
				const attempt = event.type === 'test-retry' ? event.attempt : event.attempts;
				const part = event.type === 'test-end' ? undefined : event.part;
				const started = open.get(key(event.file, attempt, part));
				if (!started) {
					break; // Never started (or a split file, whose parts ended its bars): no container, no bar.
				}

				open.delete(key(event.file, attempt, part));
				// Older events have no end time: the container's start and the duration are the best guess.
				const end = event.endedAt ?? started.at + event.durationMs;
				const begin = Math.min(started.at, event.endedAt === undefined ? started.at : end - event.durationMs);
				attempts.push({...started, status: event.status, lost: event.lost === true, retried: event.type === 'test-retry', begin, end});
				runs.at(-1)!.to = Math.max(runs.at(-1)!.to, end);
				break;
			}

			case 'run-end': {
				const last = runs.at(-1);
				if (last) {
					last.to = Math.max(last.to, last.from + event.durationMs);
				}

				break;
			}

			default: {
				break;
			}
		}
	}

	close();
	return {attempts, runs};
}

/** Attempts told without a slot (older events) go to the first lane of their engine free when they began. */
function slotsOf(attempts: readonly Ended[]): number[] {
	const freeAt = new Map<string, number[]>();
	return attempts
		.map((attempt, index) => ({attempt, index}))
		.sort((a, b) => a.attempt.begin - b.attempt.begin)
		.map(({attempt, index}) => {
			if (attempt.slot !== undefined) {
				return {index, slot: attempt.slot};
			}

			const lanes = freeAt.get(attempt.engine) ?? [];
			freeAt.set(attempt.engine, lanes);
			const free = lanes.findIndex(end => end <= attempt.begin);
			const slot = free === -1 ? lanes.length : free;
			lanes[slot] = attempt.end;
			return {index, slot};
		})
		.sort((a, b) => a.index - b.index)
		.map(({slot}) => slot);
}

/**
The timeline of a run (or of several, as `baleen report` merges them: each run's `run-start` starts its
part): a lane per engine and slot, a bar per container attempt placed by when it began and ended, how
long each lane sat idle within its run's span, and the files that held the run longest.
*/
export function layout(events: readonly RunEvent[]): Timeline {
	const {attempts, runs} = attemptsOf(events);
	const origin = [...runs.map(run => run.from), ...attempts.map(attempt => attempt.begin)].reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
	if (!Number.isFinite(origin)) {
		return {origin: 0, spanMs: 0, lanes: [], bars: [], busyMs: 0, idleMs: 0, idleAtEndMs: 0, slowest: []};
	}

	const slots = slotsOf(attempts);
	// A lane per run, engine and slot, in that order.
	const places = new Map<string, {run: number; engine: string; slot: number}>();
	const keys = attempts.map((attempt, index) => {
		const place = {run: attempt.run, engine: attempt.engine, slot: slots[index]!};
		const key = JSON.stringify(place);
		places.set(key, place);
		return key;
	});
	const ordered = [...places].sort(([, a], [, b]) => a.run - b.run || (a.engine < b.engine ? -1 : (a.engine > b.engine ? 1 : 0)) || a.slot - b.slot);
	const rowOf = new Map(ordered.map(([key], row) => [key, row]));

	const bars: Bar[] = attempts.map((attempt, index) => ({
		row: rowOf.get(keys[index]!)!,
		file: attempt.file,
		containerId: attempt.containerId,
		attempt: attempt.attempt,
		status: attempt.status,
		lost: attempt.lost,
		retried: attempt.retried,
		x: attempt.begin - origin,
		startedX: attempt.at - origin,
		width: attempt.end - attempt.begin,
	}));
	const spanMs = [...runs.map(run => run.to - origin), ...bars.map(bar => bar.x + bar.width)].reduce((a, b) => Math.max(a, b), 0);

	const busy = ordered.map(() => ({ms: 0, lastEnd: 0}));
	for (const bar of bars) {
		busy[bar.row]!.ms += bar.width;
		busy[bar.row]!.lastEnd = Math.max(busy[bar.row]!.lastEnd, bar.x + bar.width);
	}

	const lanes: Lane[] = ordered.map(([, {run, engine, slot}], row) => {
		const {from, to} = runs[run]!;
		const {ms, lastEnd} = busy[row]!;
		return {run, engine, slot, busyMs: ms, idleMs: Math.max(0, to - from - ms), idleAtEndMs: Math.max(0, to - origin - lastEnd)};
	});

	const byFile = new Map<string, number>();
	for (const bar of bars) {
		byFile.set(bar.file, (byFile.get(bar.file) ?? 0) + bar.width);
	}

	const slowest = [...byFile]
		.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
		.slice(0, slowestCount)
		.map(([file, ms]) => ({file, ms, share: spanMs > 0 ? ms / spanMs : 0}));
	const last = bars.reduce<Bar | undefined>((latest, bar) => (!latest || bar.x + bar.width > latest.x + latest.width ? bar : latest), undefined);
	const sum = (pick: (lane: Lane) => number) => lanes.reduce((total, lane) => total + pick(lane), 0);
	return {
		origin,
		spanMs,
		lanes,
		bars,
		busyMs: sum(lane => lane.busyMs),
		idleMs: sum(lane => lane.idleMs),
		idleAtEndMs: sum(lane => lane.idleAtEndMs),
		slowest,
		...(last && {last: {file: last.file, containerId: last.containerId, x: last.x, width: last.width}}),
	};
}
