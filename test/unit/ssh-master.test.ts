import assert from 'node:assert/strict';
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {NEVER} from 'rxjs';
import type {Backend} from '../../source/backends/backend.js';
import {keptConnection, masterArguments, masterCommand, remoteSocket, throughMaster} from '../../source/backends/pool/ssh-master.js';
import {sshArguments} from '../../source/backends/pool/ssh.js';
import {folder} from '../helpers/folder.js';

test('the master: our control path and ControlPersist=no on the command line, before anything ~/.ssh/config says; no prompt, no terminal', () => {
	assert.deepEqual(masterArguments(new URL('ssh://ci@build-2:2222'), '/tmp/m/control'), [
		'-M', '-S', '/tmp/m/control', '-o', 'ControlPersist=no', '-o', 'BatchMode=yes', '-T', '-l', 'ci', '-p', '2222', '--', 'build-2', masterCommand,
	]);
});

test('a session of the master: its control path, never a master of its own', () => {
	assert.deepEqual(sshArguments(new URL('ssh://build-2'), '/tmp/m/control'), [
		'-S', '/tmp/m/control', '-o', 'ControlMaster=no', '-o', 'BatchMode=yes', '--', 'build-2', 'docker', 'system', 'dial-stdio',
	]);
});

test('the engine\'s socket on the host, as its docker CLI names it; none for another kind of endpoint or when it could not say', () => {
	assert.equal(remoteSocket('unix:///var/run/docker.sock\nbaleen-ready\n'), '/var/run/docker.sock');
	assert.equal(remoteSocket('Welcome!\nunix:///run/user/1000/docker.sock\nbaleen-ready\n'), '/run/user/1000/docker.sock');
	assert.equal(remoteSocket('tcp://10.0.0.2:2375\nbaleen-ready\n'), undefined);
	assert.equal(remoteSocket('baleen-ready\n'), undefined);
});

/**
An `ssh` that plays the master (`said` says what the host's docker CLI names) and answers every `-O` as
asked; a `lingering` one outlives its session and heeds no `-O exit`, as a master does while a channel
is held open, and writes its pid to `pid` beside it.
*/
function fakeSsh({said = 'unix:///var/run/docker.sock', forward = 0, fails = '', lingering = false} = {}): string {
	const directory = folder();
	writeFileSync(path.join(directory, 'ssh'), `#!/bin/sh
case " $* " in
	*" -O forward "*) exit ${forward} ;;
	*" -O "*) exit 0 ;;
esac
${fails ? `echo '${fails}' >&2; exit 255` : `echo '${said}'; echo baleen-ready; ${lingering ? `echo $$ > '${directory}/pid'; exec sleep 600 <&-` : 'exec cat >/dev/null'}`}
`, {mode: 0o755});
	return path.join(directory, 'ssh');
}

/** The folder of a route: where the master kept its sockets. */
const folderOf = (route: ReturnType<ReturnType<typeof keptConnection>['route']>) => path.dirname(route && 'socket' in route ? route.socket : route!.control);

test('a kept master: connections go to the engine\'s socket it forwards while it is up; closing ends it and removes its folder', async () => {
	const kept = keptConnection(new URL('ssh://ci@build-2'), {ssh: fakeSsh()});
	assert.equal(kept.route(), undefined, 'nothing before it opens');
	assert.equal(await kept.open(), undefined);
	const route = kept.route();
	assert.ok(route && 'socket' in route && route.socket.endsWith('/docker.sock'), JSON.stringify(route));
	const held = folderOf(route);
	assert.equal(statSync(held).mode & 0o777, 0o700, 'a folder only its owner may enter');
	await kept.close();
	assert.equal(kept.route(), undefined);
	assert.equal(existsSync(held), false, 'the master\'s folder is gone once close resolves');
	assert.equal(await kept.open(), undefined, 'it opens again for another run');
	await kept.close();
});

test('a master that outlives its session and heeds no -O exit (an engine holds one of its channels open: moby/moby#41657) is ended by its keeper all the same', async () => {
	const ssh = fakeSsh({lingering: true});
	const kept = keptConnection(new URL('ssh://build-2'), {ssh});
	assert.equal(await kept.open(), undefined);
	const held = folderOf(kept.route());
	const pid = Number(readFileSync(path.join(path.dirname(ssh), 'pid'), 'utf8'));
	await kept.close();
	assert.equal(existsSync(`/proc/${pid}`), false, `the master (pid ${pid}) is gone once close resolves`);
	assert.equal(existsSync(held), false);
});

test('a kept master whose host forwards no socket (a tcp:// engine there, or forwarding refused): sessions through its control socket', async () => {
	for (const fake of [fakeSsh({said: 'tcp://10.0.0.2:2375'}), fakeSsh({forward: 1})]) {
		const kept = keptConnection(new URL('ssh://build-2'), {ssh: fake});
		assert.equal(await kept.open(), undefined);
		const route = kept.route();
		assert.ok(route && 'control' in route && route.control.endsWith('/control'), JSON.stringify(route));
		// eslint-disable-next-line no-await-in-loop
		await kept.close();
		assert.equal(existsSync(folderOf(route)), false);
	}
});

test('a master that cannot start says why in ssh\'s words; connections then go as without one, and the run\'s notes say so', async () => {
	const kept = keptConnection(new URL('ssh://build-2:2222'), {ssh: fakeSsh({fails: 'root@build-2: Permission denied (publickey).'})});
	assert.equal(await kept.open(), 'ssh to build-2:2222 failed: root@build-2: Permission denied (publickey).');
	assert.equal(kept.route(), undefined);

	let closed = 0;
	const backend: Backend = {
		name: 'ssh://build-2:2222',
		prepare: async () => ({slots: 2, notes: []}),
		run: () => NEVER,
		sweep: async () => 0,
		async close() {
			closed++;
		},
	};
	const through = throughMaster(backend, kept);
	const prepared = await through.prepare({runId: 'r', image: 'i', engineWaitMs: 0});
	assert.deepEqual(prepared.notes, ['no shared ssh connection (ssh to build-2:2222 failed: root@build-2: Permission denied (publickey).): each connection is an ssh of its own']);
	await through.close();
	assert.equal(closed, 1);
});
