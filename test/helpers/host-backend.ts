import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {Observable} from 'rxjs';
import type {Backend, JobEvent} from '../../source/backends/backend.js';
import type {EngineStore} from '../../source/backends/docker/leftovers.js';
import type {BackendModule} from '../../source/backends/module.js';
import type {Labelled} from '../../source/cleanup/leftovers.js';

/** What the host backend keeps of a job while it runs: a file in its folder, named for the job. */
type Kept = {name: string; labels: Record<string, string>};

/**
A backend of the tests' own, as a third party would write one: each file runs as a process on the host,
in `cwd`; what it keeps of a job while it runs is a file in `folder` carrying the job's labels, its
leftovers when baleen dies. It can copy nothing out, build nothing and hold a job to no limit.
*/
export function hostBackend(folder: string, cwd: string): BackendModule {
	mkdirSync(folder, {recursive: true});
	const name = `host ${folder}`;
	const records = (): Array<{id: string; record: Kept}> => readdirSync(folder).map(id => ({id, record: JSON.parse(readFileSync(path.join(folder, id), 'utf8')) as Kept}));
	const remove = (id: string) => {
		rmSync(path.join(folder, id), {force: true});
	};

	const store: EngineStore = {
		async list() {
			return records().map(({id, record}): Labelled => ({kind: 'process', id, name: record.name, labels: record.labels}));
		},
		async remove(thing) {
			remove(thing.id);
		},
	};

	const backend: Backend = {
		name,
		async prepare() {
			return {slots: 2, notes: []};
		},
		run(job, stop$) {
			return new Observable<JobEvent>(subscriber => {
				const id = `${job.spec.labels['baleen.file']?.replaceAll('/', '_')}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
				writeFileSync(path.join(folder, id), JSON.stringify({name: job.file, labels: job.spec.labels}));
				const [command, ...arguments_] = job.spec.cmd;
				const child = spawn(command!, arguments_, {cwd, env: Object.fromEntries(job.spec.env.map(entry => entry.split(/=(.*)/s).slice(0, 2)))});
				subscriber.next({type: 'started', id, at: Date.now()});
				subscriber.next({type: 'running'});
				for (const stream of ['stdout', 'stderr'] as const) {
					child[stream].on('data', (chunk: Buffer) => {
						subscriber.next({type: 'output', stream, chunk});
					});
				}

				child.on('close', (code: number | null) => {
					subscriber.next({type: 'exited', exitCode: code ?? 137});
					remove(id);
					subscriber.complete();
				});
				const stopping = stop$.subscribe(() => {
					child.kill();
				});
				return () => {
					stopping.unsubscribe();
					child.kill();
					remove(id);
				};
			});
		},
		async sweep(runId) {
			const ours = records().filter(({record}) => record.labels['baleen.run'] === runId);
			for (const {id} of ours) {
				remove(id);
			}

			return ours.length;
		},
		async close() {},
	};

	return {
		summary: 'a process per file on this host',
		capabilities: {copyOut: false, build: false, limits: false, sandboxes: false, createAhead: false, commit: false, slotContainers: false},
		backend: () => backend,
		leftovers: () => [{name, store}],
	};
}
