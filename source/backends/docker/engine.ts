import type {Observable} from 'rxjs';
import type {JobSpec, Output} from '../backend.js';
import type {Mount} from './host-paths.js';

/** What one container is made of: a job's spec, less or more. */
export type ContainerSpec = Omit<JobSpec, 'network'> & {
	/** Docker's `NetworkMode`: a network's name, or `container:<id>` to join another container's namespace. */
	networkMode?: string;
	/** Replaces the image's entrypoint. */
	entrypoint?: string[];
	/** Keeps the container's stdin open for `session` (a slot's helper reads its requests there). */
	openStdin?: boolean;
};

/** A running container's stdin and output, attached once for its whole life (see `Engine.session`): both end with the container. */
export type Session = {
	/** Everything the container prints from the attach on; completes when its output ends. */
	output$: Observable<Output>;
	write(text: string): void;
};

/** `entrypoint`: what the image runs a container's command with, if anything. */
export type ImageInfo = {id: string; labels: Record<string, string>; entrypoint?: string[]};

/** A build context: a folder and the files of it to send, relative and `/`-separated. */
export type BuildContext = {directory: string; files: string[]};

export type BuildOptions = {
	/** Set on the image, so that it can be found (and removed) by label. */
	labels: Record<string, string>;
	/** Each line of the build's own output, as it comes. */
	onLine: (line: string) => void;
	/** Aborting stops the build. */
	signal?: AbortSignal;
};

/**
The few container calls the Docker backend makes, so that its unit tests can use a fake engine.
*/
export type Engine = {
	/** Where the engine is, as a person would look for it: `unix:///var/run/docker.sock`, `tcp://host:2376`. */
	readonly name: string;
	/** How long a call may go unanswered before it fails (see deadlines.ts); none when absent. */
	readonly callTimeoutMs?: number;
	ping(): Promise<void>;
	cpus(): Promise<number>;
	/** The image a name or id stands for now, or undefined when the engine has none by it. */
	image(name: string): Promise<ImageInfo | undefined>;
	/** A container's mounts (bind sources as its engine's host has them); undefined when the engine has no container by that id. */
	mounts(id: string): Promise<Mount[] | undefined>;
	/** Removes an image no container uses; one that is gone or still in use is left as it is. */
	removeImage(id: string): Promise<void>;
	/** Builds the context's Dockerfile and tags the image; rejects with the build's own error when a step fails. */
	build(context: BuildContext, tag: string, options: BuildOptions): Promise<void>;
	create(spec: ContainerSpec): Promise<string>;
	/**
	Attached once the promise resolves, so nothing the container prints after `start` is missed;
	the Observable completes when the container's output ends.
	*/
	attach(id: string): Promise<Observable<Output>>;
	/** Attached with stdin too, before the start of a container made with `openStdin`; resolves once attached. */
	session(id: string): Promise<Session>;
	/** Runs a command beside a running container's processes, not waiting for its end; rejects when it cannot start. */
	exec(id: string, cmd: string[]): Promise<void>;
	start(id: string): Promise<void>;
	/** The exit code, once the container has stopped. */
	wait(id: string): Promise<number>;
	/** Whether the kernel's OOM killer ended the container, which its memory limit made it do. */
	oomKilled(id: string): Promise<boolean>;
	/**
	The engine's `oom` events for one container, as they come: one the engine learns of after the exit
	is not in its state's OOMKilled. Both can miss an OOM (see out-of-memory.ts).
	*/
	ooms(id: string): Observable<void>;
	/** Kills a running container; one that already stopped is fine. */
	kill(id: string): Promise<void>;
	/** Whether a path (relative ones from the container's working directory) is in the container's filesystem. */
	hasFile(id: string, path: string): Promise<boolean>;
	/**
	A path of the container's filesystem (relative ones from its working directory) as a tar stream, as
	`docker cp` reads it: the path's own name first, then what a folder holds. Undefined when there is none.
	*/
	archive(id: string, path: string): Promise<NodeJS.ReadableStream | undefined>;
	/** A stopped container's file system as a new image carrying its labels and these (`docker commit`); the image's id. */
	commit(id: string, labels: Record<string, string>): Promise<string>;
	/** Removes a container whatever its state; one that is already gone is fine. */
	remove(id: string): Promise<void>;
	/** Removes every container carrying all these labels; returns how many. */
	removeLabelled(labels: Record<string, string>): Promise<number>;
};

export type EngineError = Error & {statusCode?: number; reason?: string; json?: {message?: string}};

/** Docker's own words hide behind `json.message`; the rest of its errors is HTTP noise. */
export function errorMessage(error: unknown): string {
	const engineError = error as Partial<EngineError>;
	return (engineError.json?.message ?? engineError.message ?? String(error)).trim();
}
