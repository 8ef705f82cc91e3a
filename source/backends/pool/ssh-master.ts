import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Writable} from 'node:stream';
import {Observable, Subject, take, type Observable as Stream} from 'rxjs';
import type {Backend} from '../backend.js';
import {errorMessage} from '../docker/engine.js';

/**
How a connection reaches the engine through the run's ssh master: `socket`, a local socket the master
forwards to the engine's own (no process at all); else `control`, an `ssh -S control` of its own that
needs no handshake.
*/
export type Route = {socket: string} | {control: string};

/** Whom ssh reaches, as the URL says: `[-l USER] [-p PORT] -- HOST`. */
export const destination = (url: URL) => [
	...(url.username ? ['-l', decodeURIComponent(url.username)] : []),
	...(url.port ? ['-p', url.port] : []),
	'--', url.hostname,
];

const readyWord = 'baleen-ready';

/**
What the master runs on the host: it says where the host's docker CLI reaches its engine (its
DOCKER_HOST or context, as `docker system dial-stdio` would), then holds the session until its stdin,
a pipe only baleen holds, closes: once baleen is gone, even by kill -9, the session ends (and nothing
of it is left running on the host). The master itself may outlive its session (see `keeper`).
*/
export const masterCommand = `docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null; echo ${readyWord}; exec cat >/dev/null`;

/**
The master: the machine's ssh (~/.ssh/config applies), our control path before any the config names,
never prompting, never lingering after its session (ControlPersist=no), no terminal.
*/
export const masterArguments = (url: URL, control: string) => [
	'-M', '-S', control, '-o', 'ControlPersist=no', '-o', 'BatchMode=yes', '-T', ...destination(url), masterCommand,
];

/** The engine's socket on the host, from what the master's command printed; undefined when it is not a unix socket (or the CLI could not say). */
export function remoteSocket(printed: string): string | undefined {
	const host = printed.split('\n').map(line => line.trim()).find(line => line.startsWith('unix://'));
	return host?.slice('unix://'.length) || undefined;
}

/**
The `sh` the master runs under, in a session of its own (a Ctrl-C of the terminal reaches neither):
it ends the master once fd 3, a pipe only baleen holds, closes, and removes the master's folder ($0)
once the master is gone, however it went. Ending the session is not enough: ssh waits for its every
channel, and an engine keeps one open for good when baleen was attached to a container that is removed
before it ever started (moby/moby#41657), as the reaper removes one when baleen was killed between its
attach and its start. The master keeps stdin (saved as fd 4: a command run in the background would get
/dev/null), and not fd 3.
*/
const keeper = [
	'exec 4<&0',
	'"$@" <&4 3<&- 4<&- &',
	'baleen_master=$!',
	'{ while read -r baleen_line; do :; done; kill "$baleen_master"; } <&3 4<&- 2>/dev/null &',
	'baleen_watch=$!',
	'wait "$baleen_master"; baleen_code=$?',
	'kill "$baleen_watch" 2>/dev/null',
	'rm -rf -- "$0"; exit $baleen_code',
].join('\n');

/** The last line ssh said, for an error. */
const lastWords = (said: string) => said.trim().split('\n').at(-1)?.trim();

/** Runs an ssh command through the master's control socket, and tells whether it succeeded. */
function viaControl(ssh: string, args: string[], done: (succeeded: boolean) => void): void {
	const child = spawn(ssh, args, {stdio: 'ignore'});
	child.on('error', () => {
		done(false);
	});
	child.on('close', code => {
		done(code === 0);
	});
}

/**
One ssh connection to the engine's host, kept by baleen: subscribing makes a private folder (0700),
starts the master there (under `keeper`) and emits the route to the engine once the master is up;
`stop$`, or unsubscribing, has the master exit. It completes once the master and its folder are gone,
and fails with ssh's own last words when the master never came up.
*/
export function sshMaster(url: URL, stop$: Stream<unknown>, {ssh = 'ssh'} = {}): Observable<Route> {
	return new Observable<Route>(subscriber => {
		const folder = mkdtempSync(path.join(tmpdir(), 'baleen-ssh-'));
		const control = path.join(folder, 'control');
		const child = spawn('sh', ['-c', keeper, folder, ssh, ...masterArguments(url, control)], {
			detached: true,
			stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
		});
		const alive = child.stdio[3] as Writable;
		for (const pipe of [child.stdin, alive]) {
			pipe.on('error', () => undefined);
		}

		let printed = '';
		let said = '';
		let up = false;
		let ending = false;
		const end = () => {
			if (!ending) {
				ending = true;
				child.stdin.end();
				// Through the control socket, not by pid: a master that went meanwhile is not mistaken for another process.
				spawn(ssh, ['-S', control, '-O', 'exit', ...destination(url)], {stdio: 'ignore'}).on('error', () => undefined);
				// And should it not answer, its keeper ends it.
				alive.end();
			}
		};

		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			said = (said + text).slice(-2000);
		});
		const emit = (route: Route) => {
			if (!ending) {
				subscriber.next(route);
			}
		};

		child.stdout.setEncoding('utf8').on('data', (text: string) => {
			printed += text;
			if (up || !printed.split('\n').includes(readyWord)) {
				return;
			}

			up = true;
			const remote = remoteSocket(printed);
			const socket = path.join(folder, 'docker.sock');
			if (remote === undefined) {
				emit({control});
			} else {
				// A host that forbids forwarding (AllowStreamLocalForwarding no) still takes sessions through the master.
				viaControl(ssh, ['-S', control, '-O', 'forward', '-L', `${socket}:${remote}`, ...destination(url)], forwarded => {
					emit(forwarded ? {socket} : {control});
				});
			}
		});
		child.on('error', error => {
			subscriber.error(new Error(`cannot run ssh to reach ${url.host}: ${error.message}`));
		});
		child.on('close', code => {
			ending = true;
			if (up) {
				subscriber.complete();
			} else {
				subscriber.error(new Error(`ssh to ${url.host} failed${lastWords(said) ? `: ${lastWords(said)!}` : ` with exit code ${code}`}`));
			}
		});
		const stopping = stop$.pipe(take(1)).subscribe(end);
		return () => {
			stopping.unsubscribe();
			end();
		};
	});
}

/**
A host's ssh master as an engine's connections use it: `open` starts it (resolving once it is up, or
with why it could not start: the connections are then an ssh each, as without it), `route` is where a
connection goes now (none while no master is up), and `close` ends it, resolving once it is gone.
*/
export type KeptConnection = {
	route(): Route | undefined;
	open(): Promise<string | undefined>;
	close(): Promise<void>;
};

export function keptConnection(url: URL, options: {ssh?: string} = {}): KeptConnection {
	let held: {route?: Route; stop: Subject<void>; gone: Promise<void>} | undefined;
	return {
		route: () => held?.route,

		async open() {
			if (held) {
				return undefined;
			}

			const stop = new Subject<void>();
			return new Promise<string | undefined>(resolve => {
				const current: NonNullable<typeof held> = {stop, gone: Promise.resolve()};
				current.gone = new Promise<void>(gone => {
					const over = (why: string) => {
						if (held === current) {
							held = undefined;
						}

						resolve(why);
						gone();
					};

					sshMaster(url, stop, options).subscribe({
						next(route) {
							current.route = route;
							resolve(undefined);
						},
						error(error: unknown) {
							over(errorMessage(error));
						},
						complete() {
							over('the master ended');
						},
					});
				});
				held = current;
			});
		},

		async close() {
			const current = held;
			held = undefined;
			current?.stop.next();
			await current?.gone;
		},
	};
}

/**
An engine's backend whose connections go through a master of the run: started as the run prepares
the engine, ended as it closes it. A master that cannot start leaves the connections as they were,
and says so in a note; a host that cannot be reached then fails the run as it did without one.
*/
export function throughMaster(backend: Backend, connection: KeptConnection): Backend {
	return {
		...backend,

		async prepare(request) {
			const why = await connection.open();
			const prepared = await backend.prepare(request);
			return why ? {...prepared, notes: [...prepared.notes, `no shared ssh connection (${why}): each connection is an ssh of its own`]} : prepared;
		},

		async close() {
			try {
				await backend.close();
			} finally {
				await connection.close();
			}
		},
	};
}
