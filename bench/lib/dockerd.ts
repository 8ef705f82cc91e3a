import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {until} from './poll.js';

/**
A dockerd of a test's or a bench's own, beside the machine's: its own socket, data and exec roots, pid files and
bridge (`bd-N`, 172.29.N.0/24), and no iptables rules, so that killing or restarting it never
touches the main engine. Everything lives under /tmp/bd-N and goes with `remove()`.

N is the subnet asked for, or the next one free: two runs of the test suite side by side (two CI jobs on one
machine) each get engines of their own. The folder is the claim: made with mkdir, which only one process wins.
*/
export type Dockerd = {
	name: string;
	/** N: its bridge's subnet is 172.29.N.0/24; unique among the private dockerds running, so ports can be derived from it. */
	subnet: number;
	/** The folder that holds its socket, data, exec root and log: /tmp/bd-N. */
	root: string;
	/** `unix:///tmp/bd-N/docker.sock`, as DOCKER_HOST or `--engine` takes it. */
	host: string;
	socketPath: string;
	/** The running dockerd's pid; 0 when it is stopped. */
	pid(): number;
	/** Starts it (again), clearing what a killed one left; resolves once it answers. */
	start(): Promise<void>;
	/** SIGTERM, and waits until it has gone (its containers stop with it). */
	stop(): Promise<void>;
	/** SIGKILL: the engine vanishes as a crash makes it vanish. */
	kill(): Promise<void>;
	/** SIGSTOP / SIGCONT: an engine that hangs. */
	freeze(): void;
	thaw(): void;
	/** `docker CLI args…` against this engine. */
	docker(...args: string[]): string;
	/** The ids of the containers of a run (its `baleen.run` label) on this engine, stopped ones too. */
	containersOf(runId: string): string[];
	/** Copies images of the main engine into this one (`docker save | docker load`). */
	load(...images: string[]): void;
	/** Stops it, removes its containers, data and bridge. */
	remove(): Promise<void>;
};

function running(pid: number): boolean {
	if (pid === 0) {
		return false;
	}

	try {
		process.kill(pid, 0);
		// A zombie still answers kill 0; its state says it has gone.
		return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return false;
	}
}

/** The pids of the processes whose command line holds `text`. */
function processesNaming(text: string): number[] {
	return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter(pid => {
		try {
			return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(text);
		} catch {
			return false;
		}
	}).map(Number);
}

/** The children of a process: those whose parent it is, as /proc/PID/stat says (after the name in parentheses). */
function childrenOf(pid: number): number[] {
	return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter(entry => {
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
		} catch {
			return false;
		}
	}).map(Number);
}

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {}
}

/** Wins `/tmp/bd-N` for this process, or finds it taken. */
function claim(subnet: number): boolean {
	try {
		mkdirSync(`/tmp/bd-${subnet}`);
		writeFileSync(`/tmp/bd-${subnet}/owner`, `${process.pid}\n`);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return false;
		}

		throw error;
	}
}

/** The pid a file holds; 0 when there is none. */
function pidIn(file: string): number {
	try {
		return Number.parseInt(readFileSync(file, 'utf8'), 10) || 0;
	} catch {
		return 0;
	}
}

/**
The first subnet from `wanted` whose folder this process wins. A folder whose owner has gone (a test file
ended by its timeout never ran its `after`) is reaped first, with the dockerd still running in it.
*/
async function claimSubnet(wanted: number): Promise<number> {
	for (let offset = 0; offset < 200; offset++) {
		const subnet = 20 + ((wanted - 20 + offset) % 200);
		if (claim(subnet)) {
			return subnet;
		}

		const owner = pidIn(`/tmp/bd-${subnet}/owner`);
		if (owner !== 0 && !running(owner)) {
			// eslint-disable-next-line no-await-in-loop
			await dockerdAt('left-over', subnet).remove();
			if (claim(subnet)) {
				return subnet;
			}
		}
	}

	throw new Error('no subnet of 172.29.20-219.0/24 is free for a private dockerd: every /tmp/bd-N is taken');
}

export async function startDockerd(name: string, wantedSubnet: number, extraArgs: string[] = []): Promise<Dockerd> {
	const dockerd = dockerdAt(name, await claimSubnet(wantedSubnet), extraArgs);
	await dockerd.start();
	return dockerd;
}

/** The dockerd of `/tmp/bd-SUBNET`: the one running there already (its pid file says which), or one to start. */
function dockerdAt(name: string, subnet: number, extraArgs: string[] = []): Dockerd {
	const root = `/tmp/bd-${subnet}`;
	const socketPath = `${root}/docker.sock`;
	const host = `unix://${socketPath}`;
	// Linux names an interface in at most 15 bytes: the subnet keeps it short and unique.
	const bridge = `bd-${subnet}`;
	let pid = pidIn(`${root}/docker.pid`);

	const docker = (...args: string[]) => execFileSync('docker', ['-H', host, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	const answers = () => spawnSync('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}'], {stdio: 'ignore', timeout: 5000}).status === 0;

	const gone = async (what: string) => until(() => !running(pid), what, 30_000);

	const dockerd: Dockerd = {
		name,
		subnet,
		root,
		host,
		socketPath,
		pid: () => (running(pid) ? pid : 0),
		async start() {
			if (running(pid)) {
				return;
			}

			mkdirSync(root, {recursive: true});
			if (spawnSync('ip', ['link', 'show', bridge], {stdio: 'ignore'}).status !== 0) {
				execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
				execFileSync('ip', ['addr', 'add', `172.29.${subnet}.1/24`, 'dev', bridge]);
			}

			execFileSync('ip', ['link', 'set', bridge, 'up']);
			// A killed dockerd leaves pid files that a new one would trust (its containerd's above all).
			rmSync(`${root}/exec/containerd/containerd.pid`, {force: true});
			rmSync(`${root}/docker.pid`, {force: true});
			const log = openSync(`${root}/log`, 'a');
			const child = spawn('dockerd', [
				'--host', host,
				'--data-root', `${root}/data`,
				'--exec-root', `${root}/exec`,
				'--pidfile', `${root}/docker.pid`,
				'--bridge', bridge,
				'--iptables=false',
				'--ip-masq=false',
				...extraArgs,
			], {detached: true, stdio: ['ignore', log, log]});
			child.unref();
			pid = child.pid ?? 0;
			await until(() => answers() || (!running(pid) && 'exited'), `dockerd ${name} to answer`, 60_000).then(result => {
				if (result === 'exited') {
					throw new Error(`dockerd ${name} exited at start; see ${root}/log`);
				}
			});
		},
		async stop() {
			if (running(pid)) {
				process.kill(pid, 'SIGTERM');
				await gone(`dockerd ${name} to stop`);
			}
		},
		async kill() {
			if (running(pid)) {
				process.kill(pid, 'SIGKILL');
				await gone(`dockerd ${name} to die`);
			}
		},
		freeze() {
			if (running(pid)) {
				process.kill(pid, 'SIGSTOP');
			}
		},
		thaw() {
			if (running(pid)) {
				process.kill(pid, 'SIGCONT');
			}
		},
		docker,
		containersOf: runId => docker('ps', '-aq', '--filter', `label=baleen.run=${runId}`).split('\n').filter(Boolean),
		load(...images) {
			execFileSync('sh', ['-c', `docker save ${images.join(' ')} | docker -H ${host} load`], {stdio: 'ignore'});
		},
		async remove() {
			dockerd.thaw();
			if (running(pid) && answers()) {
				const ids = docker('ps', '-aq').split('\n').filter(Boolean);
				if (ids.length > 0) {
					spawnSync('docker', ['-H', host, 'rm', '-f', ...ids], {stdio: 'ignore'});
				}
			}

			await dockerd.stop();
			// A dockerd killed with SIGKILL leaves its containerd-shims and their containers running for ever
			// (a slot holder sleeps for 68 years): the processes of this engine's shims go, children first.
			for (const shim of processesNaming(`-address ${root}/`)) {
				for (const child of childrenOf(shim)) {
					signal(child, 'SIGKILL');
				}

				signal(shim, 'SIGKILL');
			}

			// A killed dockerd's containerd-shims may hold mounts under the data root for a moment.
			for (const mount of readFileSync('/proc/mounts', 'utf8').split('\n').map(line => line.split(' ')[1]).filter(point => point?.startsWith(root))) {
				spawnSync('umount', ['-l', mount!], {stdio: 'ignore'});
			}

			rmSync(root, {recursive: true, force: true});
			if (existsSync(`/sys/class/net/${bridge}`)) {
				spawnSync('ip', ['link', 'delete', bridge], {stdio: 'ignore'});
			}
		},
	};

	return dockerd;
}
