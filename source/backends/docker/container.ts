import {Observable, lastValueFrom, tap, type Subscription} from 'rxjs';
import type {CopyOut, JobEvent} from '../backend.js';
import {copyOut} from './copy-out.js';
import {answered} from './deadlines.js';
import {errorMessage, type ContainerSpec, type Engine} from './engine.js';
import {killedForMemory} from './out-of-memory.js';
import {EngineLost, isLost} from './outages.js';

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

/**
One job in one container: create, attach, start, wait, then remove. `file`, when given, is looked for
in the container after a fast exit 1 or 127, before the container goes; so are the paths of `copy`
brought out, and `exited` says what came of them. `made`: the container created ahead for the job (see
ahead.ts), used instead of creating one, and removed like one.
*/
export function runContainer(engine: Engine, spec: ContainerSpec, stop$: Observable<unknown>, file?: string, copy?: CopyOut, made?: Promise<string>): Observable<JobEvent> {
	return new Observable<JobEvent>(subscriber => {
		let id: string | undefined;
		let stopping = false;
		let running = false;
		let removed = false;
		const kill = () => {
			if (running && id) {
				engine.kill(id).catch(ignore);
			}
		};

		let oomSeen = false;
		let oomWatch: Subscription | undefined;
		let toldToStop = () => undefined as void;
		const stopped = new Promise<void>(resolve => {
			toldToStop = resolve;
		});
		const stopSubscription = stop$.subscribe(() => {
			stopping = true;
			kill();
			toldToStop();
		});

		async function life(): Promise<void> {
			if (stopping) {
				// Stopped before its turn came: no container at all, and the one made ahead goes.
				id = await made?.catch(ignore);
				return;
			}

			// A create that waits for an engine to come back gives way to a stop; what it makes later still goes.
			// One made ahead that could not be made is made now, so that its error is the create's own.
			const creating = made?.catch(async () => engine.create(spec)) ?? engine.create(spec);
			const created = await Promise.race([creating, stopped.then(() => undefined)]);
			if (created === undefined) {
				creating.then(async late => removeSurely(engine, late), ignore);
				return;
			}

			id = created;
			if (stopping) {
				return;
			}

			if (spec.limits?.memoryBytes !== undefined) {
				oomWatch = engine.ooms(id).subscribe({
					next() {
						oomSeen = true;
					},
					error: ignore,
				});
			}

			// Attached before start: a container that exits within a millisecond still has all its output read.
			const output$ = await engine.attach(id);
			const drained = lastValueFrom(output$.pipe(tap(output => {
				subscriber.next({type: 'output', ...output});
			})), {defaultValue: undefined});
			drained.catch(ignore); // Awaited below; this only keeps an early failure from counting as unhandled.
			if (stopping) {
				return;
			}

			// Told before start answers, since the container's first output may come before that answer.
			const at = Date.now();
			subscriber.next({type: 'started', id, at});
			await engine.start(id);
			running = true;
			subscriber.next({type: 'running'});
			if (stopping) {
				kill();
			}

			// The output ends as the process does; wait() then answers with the exit status it kept.
			const ended = drained.then(async () => engine.wait(id!));
			// A container told to stop ends at once; an engine that does not say so within its deadline is lost.
			const exitCode = engine.callTimeoutMs === undefined ? await ended : await Promise.race([
				ended,
				stopped.then(async () => answered(ended, 'the end of the container it was told to kill', engine.name, engine.callTimeoutMs!)),
			]);
			running = false;
			// Killed, but not by baleen: an engine shutting down kills its containers, and then no longer answers.
			if (!stopping && killedExitCodes.has(exitCode) && !await engine.ping().then(() => true, () => false)) {
				throw new EngineLost(`the Docker engine at ${engine.name} went away (the container was killed with it)`);
			}

			const fileMissing = file !== undefined && !stopping && missingFileExitCodes.has(exitCode) && Date.now() - at < missingFileWithinMs
				&& !await engine.hasFile(id, file).catch(() => true);
			// Asked only of a container that had a memory limit and did not end well: where it tells something.
			const outOfMemory = spec.limits?.memoryBytes !== undefined && exitCode !== 0 && await killedForMemory(engine, id, oomSeen);
			const copied = copy && await copyOut(engine, id, copy);
			subscriber.next({type: 'exited', exitCode, ...(fileMissing && {fileMissing}), ...(outOfMemory && {outOfMemory}), ...(copied && {copied})});
		}

		void life()
			.catch((error: unknown) => {
				subscriber.next({type: 'failed', message: errorMessage(error), ...(isLost(error) && {lost: true})});
			})
			.then(async () => {
				running = false;
				stopSubscription.unsubscribe();
				oomWatch?.unsubscribe();
				if (id) {
					await removeSurely(engine, id);
				}

				removed = true;
				subscriber.complete();
			});

		return () => {
			stopSubscription.unsubscribe();
			oomWatch?.unsubscribe();
			// Unsubscribed before the end (a forced stop): nobody waits any more, but the container still goes.
			stopping = true;
			if (!removed && id) {
				engine.remove(id).catch(ignore);
			}
		};
	});
}
