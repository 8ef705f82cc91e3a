import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type RedisServer = {
	port: number;
	readonly pid: number;
	/** Kills it, awaits `whenDown` (what is to happen while it is away), and starts it again on the same port and folder. */
	restart(whenDown?: () => Promise<unknown>): Promise<void>;
	stop(): Promise<void>;
};

/** A port nobody listens on now: the one the system handed a listener for a moment. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => {
				resolve(port);
			});
		});
	});
}

/** A certificate and its key, in PEM files. */
export type Certificate = {cert: string; key: string};

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in a new folder (a day's validity). */
export function selfSignedCertificate(): Certificate {
	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-tls-'));
	const [cert, key] = [path.join(directory, 'cert.pem'), path.join(directory, 'key.pem')];
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], {stdio: 'ignore'});
	return {cert, key};
}

/**
Debian's redis-server on 127.0.0.1 with a port of its own; resolves once it accepts connections.
`extra`: more of its arguments (`--requirepass`). Nothing is kept on disk unless `durable`: then every
write goes to an append-only file first, so that `restart()` finds the data again. With `tls`, the
port speaks TLS only, with that certificate (see `selfSignedCertificate`).
*/
export async function startRedis(extra: string[] = [], {durable = false, tls}: {durable?: boolean; tls?: Certificate} = {}): Promise<RedisServer> {
	const port = await freePort();
	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-redis-'));
	const persistence = durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
	const listening = tls
		? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.cert, '--tls-auth-clients', 'no']
		: ['--port', String(port)];
	let child: ChildProcess;
	let exited: Promise<void>;
	const launch = async () => {
		child = spawn('redis-server', [...listening, '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', directory, ...extra], {stdio: ['ignore', 'pipe', 'pipe']});
		const launched = child;
		exited = new Promise<void>(resolve => {
			launched.once('exit', () => {
				resolve();
			});
		});
		await new Promise<void>((resolve, reject) => {
			let output = '';
			launched.stdout!.setEncoding('utf8').on('data', (text: string) => {
				output += text;
				if (output.includes('Ready to accept connections')) {
					resolve();
				}
			});
			launched.once('exit', code => {
				reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
			});
		});
		launched.stdout!.resume();
	};

	const kill = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			process.kill(child.pid!, 'SIGKILL');
		}

		await exited;
	};

	await launch();
	return {
		port,
		get pid() {
			return child.pid!;
		},
		async restart(whenDown = async () => undefined) {
			await kill();
			await whenDown();
			await launch();
		},
		async stop() {
			await kill();
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
