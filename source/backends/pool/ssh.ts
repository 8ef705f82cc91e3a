import {spawn} from 'node:child_process';
import {Agent} from 'node:http';
import {connect} from 'node:net';
import {Duplex, PassThrough} from 'node:stream';
import {destination, type Route} from './ssh-master.js';

/**
What `docker -H ssh://USER@HOST:PORT` runs: the machine's own `ssh` (so ~/.ssh/config, known_hosts, the
agent and every key apply as they do for the docker CLI), and on the host the docker CLI's bridge from
stdio to its engine. With a master's `control` socket, a session of its connection: no handshake, and
never a master of its own whatever ~/.ssh/config says (ControlMaster auto).
*/
export function sshArguments(url: URL, control?: string): string[] {
	return [
		...(control ? ['-S', control, '-o', 'ControlMaster=no'] : []),
		'-o', 'BatchMode=yes', // Nobody answers a prompt: an unknown host key or a password fails at once.
		...destination(url), 'docker', 'system', 'dial-stdio',
	];
}

/**
An HTTP agent whose every connection is an `ssh` process to the host: its stdout and stdin are the socket.
Connections are kept and reused between calls, as the docker CLI keeps its own, so a call costs a
request, not an SSH handshake (without `keepAlive`, a ping's: each call a connection of its own). A connection ssh could not make fails with ssh's own last words.
While the run's master is up (`route`, see ssh-master.ts), a connection is a channel of its connection instead.
*/
export function sshAgent(url: URL, {keepAlive = true, ssh = 'ssh', route}: {keepAlive?: boolean; ssh?: string; route?: () => Route | undefined} = {}): Agent {
	const agent = new Agent({keepAlive});
	agent.createConnection = () => {
		const way = route?.();
		if (way && 'socket' in way) {
			return connect(way.socket);
		}

		const child = spawn(ssh, sshArguments(url, way?.control), {stdio: ['pipe', 'pipe', 'pipe']});
		let said = '';
		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			said = (said + text).slice(-2000);
		});
		// The output ends only once ssh has exited and said how: a failed ssh is its own error, not a hang-up.
		const output = new PassThrough();
		child.stdout.pipe(output, {end: false});
		// Nor does ssh's stdin closing as it exits end the socket ("premature close" would hide ssh's words): its close does.
		const input = new PassThrough();
		input.pipe(child.stdin);
		child.stdin.on('error', () => undefined);
		const socket = Duplex.from({readable: output, writable: input});
		const pipes = [child.stdin, child.stdout, child.stderr];
		child.on('error', error => {
			socket.destroy(new Error(`cannot run ssh to reach ${url.host}: ${error.message}`));
		});
		child.on('close', code => {
			if (code === 0) {
				output.end();
			} else {
				socket.destroy(new Error(`ssh to ${url.host} failed${said.trim() ? `: ${said.trim().split('\n').at(-1)!}` : ` with exit code ${code}`}`));
			}
		});
		socket.on('close', () => {
			child.kill();
		});
		// What the agent asks of a socket it keeps for later: an idle connection must not keep baleen alive.
		return Object.assign(socket, {
			setKeepAlive: () => socket,
			setNoDelay: () => socket,
			setTimeout: () => socket,
			ref() {
				child.ref();
				for (const pipe of pipes) {
					(pipe as unknown as {ref(): void}).ref();
				}

				return socket;
			},
			unref() {
				child.unref();
				for (const pipe of pipes) {
					(pipe as unknown as {unref(): void}).unref();
				}

				return socket;
			},
		}) as unknown as ReturnType<NonNullable<Agent['createConnection']>>;
	};

	return agent;
}
