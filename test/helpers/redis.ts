import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type RedisServer = {port: number; pid: number; stop(): Promise<void>};

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

/** Debian's redis-server on 127.0.0.1 with a port of its own, nothing kept on disk; resolves once it accepts connections. `extra`: more of its arguments (`--requirepass`). */
export async function startRedis(extra: string[] = []): Promise<RedisServer> {
	const port = await freePort();
	const directory = mkdtempSync(path.join(tmpdir(), 'baleen-redis-'));
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory, ...extra], {stdio: ['ignore', 'pipe', 'pipe']});
	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			resolve();
		});
	});
	await new Promise<void>((resolve, reject) => {
		let output = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => {
			output += text;
			if (output.includes('Ready to accept connections')) {
				resolve();
			}
		});
		child.once('exit', code => {
			reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
		});
	});
	child.stdout.resume();
	return {
		port,
		pid: child.pid!,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				process.kill(child.pid!, 'SIGKILL');
			}

			await exited;
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
