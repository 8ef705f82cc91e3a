import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import {Writable} from 'node:stream';
import Docker from 'dockerode';
import {Observable, from, lastValueFrom} from 'rxjs';
import type {Output} from '../backend.js';
import type {KeptConnection} from '../pool/ssh-master.js';
import {callTimeoutMs, withDeadlines, within} from './deadlines.js';
import type {ContainerSpec, Engine, EngineError} from './engine.js';
import {labelFilter, labelledContainers, removeContainer, unlessGone} from './removal.js';

const defaultSocket = 'unix:///var/run/docker.sock';

/** Where the engine is, as a person would look for it, and as Docker's client finds it. */
export const engineName = (environment: NodeJS.ProcessEnv = process.env) => environment.DOCKER_HOST || defaultSocket;
const pingTimeoutMs = 5000;

/** Docker answers 304 to a kill of a stopped container, 404 for one that is gone, 409 for one not running (removals: see removal.ts). */
function ignoreStatus(...codes: number[]) {
	return (error: EngineError) => {
		if (error.statusCode === undefined || !codes.includes(error.statusCode)) {
			throw error;
		}
	};
}

/** One JSON object of a build's progress stream. */
type BuildEvent = {stream?: string; status?: string; error?: string; errorDetail?: {message?: string}};

function sink(stream: Output['stream'], push: (output: Output) => void): Writable {
	return new Writable({
		write(chunk: Buffer, _encoding, done) {
			push({stream, chunk});
			done();
		},
	});
}

/**
An attached stream's output, its stdout and stderr told apart; unsubscribing destroys the stream.
*/
function outputOf(docker: Docker, stream: NodeJS.ReadableStream & {destroy?: () => void}): Observable<Output> {
	return new Observable<Output>(subscriber => {
		const push = (output: Output) => {
			subscriber.next(output);
		};

		docker.modem.demuxStream(stream, sink('stdout', push), sink('stderr', push));
		const complete = () => {
			subscriber.complete();
		};

		stream.on('end', complete);
		stream.on('close', complete);
		stream.on('error', (error: Error) => {
			subscriber.error(error);
		});
		return () => {
			stream.off('end', complete);
			stream.off('close', complete);
			stream.destroy?.();
		};
	});
}

/**
A client of the same engine that opens a new connection for each request. Node keeps connections
alive, and an engine shutting down still answers on the ones it has while it refuses new ones: a ping
over an old connection would say an engine is there that is going away (see outages.ts).
*/
function freshConnections(docker: Docker): Docker {
	const {protocol} = docker.modem as {protocol?: string};
	if (protocol === 'ssh') {
		return docker; // Its own agent is its ssh connection.
	}

	// Docker-modem takes an agent; dockerode's types leave it out.
	const agent = protocol === 'https' ? new https.Agent({keepAlive: false}) : new http.Agent({keepAlive: false});
	return new Docker({agent} as Docker.DockerOptions);
}

/**
An engine named otherwise than by DOCKER_HOST: how people call it, how dockerode reaches it, and how
it reaches it for a ping (a fresh connection each time, see freshConnections); over ssh, the master
its connections go through while a run holds it (see ../pool/ssh-master.ts).
*/
export type EngineAt = {name: string; options: Docker.DockerOptions; pingOptions: Docker.DockerOptions; kept?: KeptConnection};

/**
The engine of DOCKER_HOST (or the local socket), or the one `at` names, every call that should answer
at once under a deadline.
*/
export function dockerEngine(environment: NodeJS.ProcessEnv = process.env, at?: EngineAt): Engine {
	return withDeadlines(dockerodeEngine(environment, at), callTimeoutMs(environment));
}

function dockerodeEngine(environment: NodeJS.ProcessEnv, at?: EngineAt): Engine {
	// Without `at`, dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself.
	const docker = at ? new Docker(at.options) : new Docker();
	const name = at?.name ?? engineName(environment);
	const pinger = at ? new Docker(at.pingOptions) : freshConnections(docker);

	async function archive(id: string, file: string): Promise<NodeJS.ReadableStream | undefined> {
		const container = docker.getContainer(id);
		// Only a relative path needs the container's working directory, one more call.
		const workdir = path.posix.isAbsolute(file) ? '/' : (await container.inspect()).Config.WorkingDir || '/';
		try {
			return await container.getArchive({path: path.posix.resolve(workdir, file)});
		} catch (error) {
			ignoreStatus(404)(error as EngineError);
			return undefined;
		}
	}

	return {
		name,

		async ping() {
			await lastValueFrom(from(pinger.ping()).pipe(within(pingTimeoutMs, () => new Error(`no answer within ${pingTimeoutMs / 1000} s`))));
		},

		async cpus() {
			const info = await docker.info() as {NCPU?: number};
			return info.NCPU ?? 1;
		},

		async image(name) {
			try {
				const {Id, Config} = await docker.getImage(name).inspect();
				const entrypoint = Config.Entrypoint as string[] | string | null | undefined;
				return {id: Id, labels: Config.Labels ?? {}, ...(entrypoint && {entrypoint: typeof entrypoint === 'string' ? [entrypoint] : entrypoint})};
			} catch (error) {
				ignoreStatus(404)(error as EngineError);
				return undefined;
			}
		},

		async mounts(id) {
			try {
				const {Mounts} = await docker.getContainer(id).inspect();
				return Mounts.map(({Source, Destination}) => ({source: Source, destination: Destination}));
			} catch (error) {
				ignoreStatus(404)(error as EngineError);
				return undefined;
			}
		},

		async removeImage(id) {
			await docker.getImage(id).remove().catch(unlessGone);
		},

		async build(context, tag, {labels, onLine, signal}) {
			// Only the files given are sent: .dockerignore was applied to the list (dockerode's own
			// handling of it does not reach into subfolders).
			// Loaded here: only a run with --build needs it, and every run's start pays for what it loads.
			const {default: tar} = await import('tar-fs');
			const tarball = tar.pack(context.directory, {entries: context.files});
			// The classic builder, as the engine's API serves it without a BuildKit session: `rm`
			// and `forcerm` remove its intermediate containers, failed steps included.
			const stream = await docker.buildImage(tarball, {
				t: tag, labels, rm: true, forcerm: true, abortSignal: signal,
			});
			let partial = '';
			const lines = (text: string) => {
				const parts = (partial + text).split('\n');
				partial = parts.pop() ?? '';
				for (const line of parts) {
					if (line.trim() !== '') {
						onLine(line.trimEnd());
					}
				}
			};

			await new Promise<void>((resolve, reject) => {
				docker.modem.followProgress(stream, (error: Error | null, events: BuildEvent[]) => {
					lines('\n');
					const failed = events.find(event => event.error ?? event.errorDetail);
					if (error ?? failed) {
						reject(error ?? new Error(failed!.errorDetail?.message ?? failed!.error));
					} else {
						resolve();
					}
				}, (event: BuildEvent) => {
					if (event.stream) {
						lines(event.stream);
					} else if (event.status) {
						lines(`${event.status}\n`);
					}
				});
			});
		},

		async create(spec: ContainerSpec) {
			const container = await docker.createContainer({
				Image: spec.image,
				Cmd: spec.cmd,
				...(spec.entrypoint && {Entrypoint: spec.entrypoint}),
				Env: spec.env,
				WorkingDir: spec.workdir,
				Labels: spec.labels,
				Tty: false,
				AttachStdout: true,
				AttachStderr: true,
				...(spec.openStdin && {OpenStdin: true, StdinOnce: false, AttachStdin: true}),
				// baleen reads the output through attach; the default json-file driver would also write it all to disk.
				HostConfig: {
					Binds: spec.binds,
					LogConfig: {Type: 'none', Config: {}},
					...(spec.networkMode && {NetworkMode: spec.networkMode}),
					// The same figure for memory and swap: a test over its limit is killed, not swapped out.
					...(spec.limits?.memoryBytes && {Memory: spec.limits.memoryBytes, MemorySwap: spec.limits.memoryBytes}),
					...(spec.limits?.cpus && {NanoCpus: Math.round(spec.limits.cpus * 1e9)}),
					...(spec.limits?.pidsLimit && {PidsLimit: spec.limits.pidsLimit}),
				},
			});
			return container.id;
		},

		async attach(id) {
			// `stdin: false` said, as Docker takes it when unsaid: Podman otherwise attaches stdin and copies the
			// request's body (dockerode sends these options as JSON) to conmon, which a fast exit can leave unread;
			// conmon's close then resets the socket, the output still in it is lost, and Podman writes its
			// `Error: read unixpacket …: connection reset by peer` into the stderr instead.
			const stream = await docker.getContainer(id).attach({stream: true, stdout: true, stderr: true, stdin: false});
			return outputOf(docker, stream);
		},

		async session(id) {
			const stream = await docker.getContainer(id).attach({stream: true, stdin: true, stdout: true, stderr: true, hijack: true}) as NodeJS.ReadWriteStream & {destroy(): void};
			return {
				output$: outputOf(docker, stream),
				write(text) {
					stream.write(text);
				},
			};
		},

		async exec(id, cmd) {
			const exec = await docker.getContainer(id).exec({Cmd: cmd, AttachStdout: false, AttachStderr: false});
			await exec.start({Detach: true});
		},

		async start(id) {
			await docker.getContainer(id).start();
		},

		async wait(id) {
			const {StatusCode} = await docker.getContainer(id).wait() as {StatusCode: number};
			return StatusCode;
		},

		ooms(id) {
			return new Observable<void>(subscriber => {
				let stream: NodeJS.ReadableStream & {destroy?: () => void} | undefined;
				let closed = false;
				// From a second before: the engine replays what came while this request was on its way.
				const since = Math.floor(Date.now() / 1000) - 1;
				docker.getEvents({since, filters: JSON.stringify({container: [id], event: ['oom']})}).then(events => {
					stream = events as typeof stream;
					if (closed) {
						stream?.destroy?.();
						return;
					}

					// One JSON object a line, each an oom of this container.
					events.on('data', () => {
						subscriber.next();
					});
				}, (error: unknown) => {
					subscriber.error(error);
				});
				return () => {
					closed = true;
					stream?.destroy?.();
				};
			});
		},

		async oomKilled(id) {
			const {State} = await docker.getContainer(id).inspect();
			return State.OOMKilled;
		},

		async kill(id) {
			await docker.getContainer(id).kill().catch(ignoreStatus(304, 404, 409));
		},

		async hasFile(id, file) {
			// Not a HEAD (`infoArchive`): dockerode never lets go of the socket of its answer.
			const found = await archive(id, file) as NodeJS.ReadableStream & {destroy(): void} | undefined;
			found?.destroy();
			return found !== undefined;
		},

		archive,

		async commit(id, labels) {
			// The query's `changes` are Dockerfile lines: the labels' values quoted, as LABEL reads them.
			const label = Object.entries(labels).map(([key, value]) => `${JSON.stringify(key)}=${JSON.stringify(value)}`).join(' ');
			const {Id} = await docker.getContainer(id).commit({changes: `LABEL ${label}`, pause: false}) as {Id: string};
			return Id;
		},

		async remove(id) {
			await removeContainer(docker, id);
		},

		async removeLabelled(labels) {
			const label = labelFilter(labels);
			const found = new Set<string>();
			const pause = async (ms: number) => new Promise(resolve => {
				setTimeout(resolve, ms);
			});
			// A removal already under way answers 409 and may still be cut short when its caller exits, and a
			// create still in flight shows up a moment later: look again until two looks apart find none.
			for (let attempt = 0, empty = 0; attempt < 50 && empty < 2; attempt++) {
				const containers = await labelledContainers(docker, label);
				empty = containers.length === 0 ? empty + 1 : 0;
				await Promise.all(containers.map(async ({Id}) => {
					found.add(Id);
					await removeContainer(docker, Id);
				}));
				if (empty < 2) {
					await pause(empty === 1 ? 250 : 100);
				}
			}

			return found.size;
		},
	};
}
