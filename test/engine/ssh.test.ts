import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import type {TestStart} from '../../source/events.js';
import {startSshd, type Sshd} from '../../bench/lib/sshd.js';
import {runGone, runStart, shellArgs, start, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';
import {until} from '../helpers/poll.js';

/** An sshd of this file's own, whose sessions reach the machine's engine: the files' folders mount as they would locally. */
let sshd: Sshd;

before(async () => {
	sshd = await startSshd();
	sshd.trust();
});

after(async () => {
	await sshd?.stop();
});

/** Files that run until the test says go: the run is mid-way for as long as the test looks. */
const waiting = (count: number) => folder(Object.fromEntries(Array.from({length: count}, (_, index) => [`t${index}.sh`, 'while [ ! -e /suite/go ]; do sleep 0.1; done\n'])));

const starts = (events: Parameters<typeof testEnds>[0]) => events.filter((event): event is TestStart => event.type === 'test-start');

/** Gone, or a zombie whose parent has yet to reap it. */
function ended(pid: number): boolean {
	try {
		return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.startsWith('Z');
	} catch {
		return true;
	}
}

/** The run's ssh processes to the sshd, now: there must be one, the master; its pid and private folder. */
function theMaster(): {pid: number; folder: string} {
	const clients = sshd.clients();
	assert.equal(clients.length, 1, `one ssh process, the master, and no other: ${clients.join('\n')}`);
	const [pid, ...args] = clients[0]!.split(' ');
	assert.ok(args.includes('-M'), `the one ssh is a master: ${clients[0]!}`);
	const control = args[args.indexOf('-S') + 1]!;
	assert.equal(readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'), false);
	return {pid: Number(pid), folder: path.dirname(control)};
}

test('ssh://: a run keeps one ssh master for its files, which open no connection of their own; the master and its folder go with the run', async () => {
	const directory = waiting(4);
	const running = start(shellArgs(directory, '--engine', `${sshd.host}=2`), {cwd: directory, env: sshd.env});
	await running.until(events => starts(events).length === 2);
	const master = theMaster();
	assert.ok(existsSync(path.join(master.folder, 'control')), 'its control socket is in its private folder');
	const accepted = sshd.accepted();
	writeFileSync(path.join(directory, 'go'), '');
	await running.until(events => events.some(event => event.type === 'run-end'));
	assert.equal(sshd.accepted(), accepted, 'no ssh connection made while the files ran, the two waiting for a slot included');
	const {code, events, stderr} = await running.done;
	assert.equal(code, 0, stderr);
	assert.deepEqual(testEnds(events).map(end => [end.status, end.engine]), Array.from({length: 4}, () => ['passed', sshd.host]));
	assert.ok(ended(master.pid), 'the master ended with the run');
	assert.equal(existsSync(master.folder), false, 'its folder is removed');
});

test('ssh://: kill -9 of baleen mid-run ends its ssh master too, and its folder goes', async () => {
	const directory = waiting(2);
	const running = start(shellArgs(directory, '--engine', `${sshd.host}=2`), {cwd: directory, env: sshd.env});
	const events = await running.until(events => starts(events).length === 2);
	const master = theMaster();
	process.kill(running.child.pid!, 'SIGKILL');
	await running.done;
	await until(() => ended(master.pid), `the master (pid ${master.pid}) to end after kill -9 of baleen`, 20_000);
	await until(() => !existsSync(master.folder), `its folder ${master.folder} to go`, 20_000);
	// The run's reaper removes what the run left, over an ssh of its own.
	await runGone(runStart(events).runId);
});
