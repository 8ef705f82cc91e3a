import {
	EMPTY, asyncScheduler, catchError, concat, connect, defer, filter, firstValueFrom, identity, ignoreElements, map, merge, mergeMap, of, reduce,
	ReplaySubject, take, takeUntil, type Observable, type SchedulerLike,
} from 'rxjs';
import {usingResource} from '../../rx/using-resource.js';
import {withSeen} from '../../rx/with-seen.js';
import {alongside} from '../../rx/alongside.js';
import type {CopyOut, JobEvent, Output} from '../backend.js';
import {copyOut, resultsLimitBytes} from './copy-out.js';
import {pastDeadline} from './deadlines.js';
import {errorMessage, type ContainerSpec, type Engine} from './engine.js';
import {killedForMemory} from './out-of-memory.js';
import {EngineLost, isLost} from './outages.js';
import {resultsTrailer, type Sent, type SentResults} from './trailer.js';

const ignore = () => undefined;

/** A command that finds no file to run fails fast with one of these; only then is the file looked for. */
const missingFileExitCodes = new Set([1, 127]);
const missingFileWithinMs = 10_000;

/** Removes a container; a removal the engine's going away cut short is made again once it is back (see outages.ts). */
export async function removeSurely(engine: Engine, id: string): Promise<void> {
	await engine.remove(id).catch(async (error: unknown) => {
		if (isLost(error)) {
			await engine.remove(id);
		}
	}).catch(ignore);
}

/** What a kill makes of a process: SIGKILL's and SIGTERM's exit codes, which an engine shutting down also gives. */
const killedExitCodes = new Set([137, 143]);

export type ContainerRun = {
	engine: Engine;
	spec: ContainerSpec;
	/** Its first value stops the job: a container not started yet never is, a running one is killed. */
	stop$: Observable<unknown>;
	/** Looked for in the container after a fast exit 1 or 127, before the container goes. */
	file?: string;
	/** Paths brought out of the container once its process ended, before it goes; `exited` says what came of them. */
	copy?: CopyOut;
	/** The container created ahead for the job (see ahead.ts), used instead of creating one, and removed like one. */
	made?: Promise<string>;
	/** The clock of the start's time and of the deadline of a killed container's end. */
	scheduler?: SchedulerLike;
	/** Commit the container as an image, before it goes, when its process failed or timed out (`--keep-failed`). */
	keep?: boolean;
	/** The line behind which its script sends the results file at the end of stderr (see trailer.ts), read instead of copied out. */
	sentHeader?: string;
};

/** Whether a container to keep ended so that it is kept: it failed, or was stopped because its time was up (not cancelled). */
async function toKeep({keep, stop$}: ContainerRun, exitCode: number, stopped: boolean): Promise<boolean> {
	return Boolean(keep) && exitCode !== 0 && (!stopped || await firstValueFrom(stop$, {defaultValue: undefined}) === 'timed-out');
}

/** Commits a failed container as an image, labelled with when (the sweep before a run removes it after a while, see leftovers.ts); undefined when the engine cannot. */
async function kept(engine: Engine, id: string): Promise<string | undefined> {
	return engine.commit(id, {'baleen.kept': new Date().toISOString()}).catch(() => undefined);
}

/** One job in one container: create (or take the one made ahead), attach, start, wait, then remove. */
export function runContainer(run: ContainerRun): Observable<JobEvent> {
	const {engine, spec, stop$, made} = run;
	return usingResource({
		create: async () => engine.create(spec),
		...(made && {made}),
		use: (id, stopped$) => containerLife(run, id, stopped$),
		remove: async id => removeSurely(engine, id),
		failed: (error): JobEvent => ({type: 'failed', message: errorMessage(error), ...(isLost(error) && {lost: true})}),
		stop$,
	});
}

/**
A created container's life: attached before its start, so that a container that exits within a
millisecond still has all its output read; one told to stop by then is never started. With a memory
limit, the engine's oom events are watched from the start (one told after the exit is not in its
state, see out-of-memory.ts).
*/
function containerLife(run: ContainerRun, id: string, stopped$: Observable<void>): Observable<JobEvent> {
	const {engine, spec} = run;
	const attached$ = (oom$: Observable<void>) => defer(async () => engine.attach(id)).pipe(
		takeUntil(stopped$),
		mergeMap(output$ => started(run, id, output$, {stopped$, oom$})),
	);
	if (spec.limits?.memoryBytes === undefined) {
		return attached$(EMPTY);
	}

	const ooms$ = engine.ooms(id).pipe(take(1), catchError(() => EMPTY));
	return ooms$.pipe(connect(attached$, {connector: () => new ReplaySubject<void>(1)}));
}

/**
Started, its output told as it comes, then its exit: the output ends as the process does, and `wait`
then answers with the exit status it kept. A container told to stop is killed and ends at once; an
engine that does not say so within its deadline is lost.
*/
function started(run: ContainerRun, id: string, output$: Observable<Output>, {stopped$, oom$}: {stopped$: Observable<void>; oom$: Observable<void>}): Observable<JobEvent> {
	const {engine, sentHeader, scheduler = asyncScheduler} = run;
	// Told to stop: killed, and its end is the engine's to tell within a call's deadline.
	const killed$ = stopped$.pipe(take(1), mergeMap(() => merge(
		defer(async () => engine.kill(id)).pipe(catchError(() => EMPTY), ignoreElements()),
		pastDeadline(engine, 'the end of the container it was told to kill', scheduler),
	)));
	const life = (told$: Observable<Output | Sent>) => defer(() => {
		const at = scheduler.now();
		// The results file its script sent, if it came whole: looked for from the first byte, since all of a
		// short file's output, the file included, may come before start answers.
		return told$.pipe(
			reduce((sent: SentResults | undefined, event) => ('type' in event ? event.results : sent), undefined),
			connect(sent$ => concat(
				// Told before start answers, since the container's first output may come before that answer.
				of<JobEvent>({type: 'started', id, at}),
				defer(async () => engine.start(id)).pipe(map((): JobEvent => ({type: 'running'}))),
				sent$.pipe(
					mergeMap(async sent => ({exitCode: await engine.wait(id), sent})),
					alongside(killed$),
					withSeen(stopped$, oom$),
					mergeMap(async ([{exitCode, sent}, stopped = false, oomSeen = false]) => exited(run, id, {exitCode, at, stopped, oomSeen, ...(sent && {sent})})),
				),
			), {connector: () => new ReplaySubject<SentResults | undefined>(1)}),
		);
	});
	return output$.pipe(
		sentHeader === undefined ? identity : resultsTrailer(sentHeader, resultsLimitBytes),
		connect(told$ => merge(
			told$.pipe(filter((event): event is Output => !('type' in event)), map((output): JobEvent => ({type: 'output', ...output}))),
			life(told$),
		)),
	);
}

/**
What came of a container whose process ended: why, and what was brought out of it. `outOfMemory`, when
known (a slot's container counts its OOM kills itself), is not asked of the engine.
*/
export async function exited(
	run: ContainerRun,
	id: string,
	{exitCode, at, stopped, oomSeen = false, outOfMemory: known, sent}: {exitCode: number; at: number; stopped: boolean; oomSeen?: boolean; outOfMemory?: boolean; sent?: SentResults},
): Promise<JobEvent & {type: 'exited'}> {
	const {engine, spec, file, copy, scheduler = asyncScheduler} = run;
	const ranMs = scheduler.now() - at;
	// Killed, but not by baleen: an engine shutting down kills its containers, and then no longer answers.
	if (!stopped && killedExitCodes.has(exitCode) && !await engine.ping().then(() => true, () => false)) {
		throw new EngineLost(`the Docker engine at ${engine.name} went away (the container was killed with it)`);
	}

	const fileMissing = file !== undefined && !stopped && missingFileExitCodes.has(exitCode) && ranMs < missingFileWithinMs
		&& !await engine.hasFile(id, file).catch(() => true);
	// Asked only of a container that had a memory limit and did not end well: where it tells something.
	const outOfMemory = known ?? (spec.limits?.memoryBytes !== undefined && exitCode !== 0 && await killedForMemory(engine, id, oomSeen));
	const copied = copy && await copyOut(engine, id, copy, sent);
	const image = await toKeep(run, exitCode, stopped) ? await kept(engine, id) : undefined;
	return {type: 'exited', exitCode, ...(fileMissing && {fileMissing}), ...(outOfMemory && {outOfMemory}), ...(copied && {copied}), ...(image && {kept: image})};
}
