import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {until} from './poll.js';

/**
An sshd of a test's or a bench's own on 127.0.0.1, a free port, its keys in a folder of its own; the
client side as a user's ~/.ssh would have it, given to ssh by an `ssh` first on `env.PATH`. The
sessions' docker CLI reaches `dockerHost` (the machine's engine when absent).
*/
export type Sshd = {
	port: number;
	/** `ssh://root@127.0.0.1:PORT`, as `--engine` takes it. */
	host: string;
	/** What a baleen run needs to reach it: PATH with the `ssh` that reads this client config, and no agent. */
	env: {PATH: string; SSH_AUTH_SOCK: string};
	/** The folder of its keys and configs: the `ssh` wrapper is in `bin/`. */
	folder: string;
	/** Trusts its host key (known_hosts starts empty: an unknown host). */
	trust(): void;
	/** How many connections it has accepted so far (its log's `Accepted publickey` lines). */
	accepted(): number;
	/** The processes of the client that reach it now, each `pid args`: its masters and sessions. */
	clients(): string[];
	stop(): Promise<void>;
};

/** A port of 127.0.0.1 nobody listens on now. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as {port: number};
	await new Promise(resolve => {
		server.close(resolve);
	});
	return port;
}

export async function startSshd({dockerHost}: {dockerHost?: string} = {}): Promise<Sshd> {
	const folder = mkdtempSync(path.join(tmpdir(), 'baleen-sshd-'));
	const file = (name: string) => path.join(folder, name);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('id')]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('host_key')]);
	writeFileSync(file('authorized_keys'), readFileSync(file('id.pub')));
	const port = await freePort();
	writeFileSync(file('sshd_config'), [
		`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${file('host_key')}`, `AuthorizedKeysFile ${file('authorized_keys')}`,
		`PidFile ${file('sshd.pid')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no', 'PermitRootLogin prohibit-password',
		...(dockerHost ? [`SetEnv DOCKER_HOST=${dockerHost}`] : []), '',
	].join('\n'));
	writeFileSync(file('ssh_config'), `Host *\n  IdentityFile ${file('id')}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${file('known_hosts')}\n  StrictHostKeyChecking yes\n`);
	writeFileSync(file('known_hosts'), '');
	mkdirSync(file('bin'));
	writeFileSync(file('bin/ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${file('ssh_config')} "$@"\n`);
	chmodSync(file('bin/ssh'), 0o755);
	mkdirSync('/run/sshd', {recursive: true});
	const log = file('sshd.log');
	const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', file('sshd_config')], {stdio: ['ignore', 'ignore', openSync(log, 'a')]});
	const ended = new Promise(resolve => {
		sshd.once('exit', resolve);
	});
	const logged = () => readFileSync(log, 'utf8');
	await until(() => logged().includes(`Server listening on 127.0.0.1 port ${port}`) || sshd.exitCode !== null, 'sshd to listen', 10_000);
	if (sshd.exitCode !== null) {
		throw new Error(`sshd did not start: ${logged().trim()}`);
	}

	const client = `/usr/bin/ssh -F ${file('ssh_config')} `;
	return {
		port,
		host: `ssh://root@127.0.0.1:${port}`,
		env: {PATH: `${file('bin')}:${process.env.PATH ?? ''}`, SSH_AUTH_SOCK: ''},
		folder,
		trust() {
			writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${readFileSync(file('host_key.pub'), 'utf8')}`);
		},
		accepted: () => logged().split('\n').filter(line => line.includes('Accepted publickey')).length,
		clients: () => execFileSync('ps', ['-eo', 'pid=,args='], {encoding: 'utf8'}).split('\n')
			.map(line => line.trim())
			.filter(line => line.slice(line.indexOf(' ') + 1).startsWith(client)),
		async stop() {
			sshd.kill();
			await ended;
			rmSync(folder, {recursive: true, force: true});
		},
	};
}
