/**
The promises of `--isolate slot` (issue 22), checked on a way of running a slot: each check is a few
files run one after another in one fresh slot, each file with what its outcome must be.
*/
import {type EngineApi} from './engine-api.js';
import {type FileRun, type OpenSlot, type Outcome, type SlotOptions} from './slot.js';

type Step = FileRun & {expect: (outcome: Outcome) => string | undefined};
type Check = {promise: string; steps: Step[]};

const exits = (code: number) => (outcome: Outcome) => (outcome.code === code && !outcome.timedOut
	? undefined
	: `exit ${outcome.code}${outcome.timedOut ? ' (timed out)' : ''}, expected ${code}; stderr ${JSON.stringify(outcome.stderr.toString().slice(-200))}`);

const quick = 10_000;

/**
Exits 0 when no `sleep 100x` of an earlier file runs. From /proc, not `ps` (Debian's minbase has none); a
zombie's cmdline is empty, so a dead process not yet reaped does not count.
*/
const noSleepLeft: Step = {script: '! cat /proc/[0-9]*/cmdline 2>/dev/null | tr \'\\000\' \' \' | grep -q \'sleep 100[0-9]\'', timeoutMs: quick, expect: exits(0)};

const binary = Buffer.from([0, 1, 0xFF, 0x0A, 0x6E, 0x6F, 0x20, 0x6E, 0x6C]); // \0 \1 \377 \n "no nl"
const octal = (bytes: Buffer) => [...bytes].map(byte => `\\${byte.toString(8).padStart(3, '0')}`).join('');

const exact = (stdout: Buffer, stderr: Buffer) => (outcome: Outcome) => (outcome.code === 0 && outcome.stdout.equals(stdout) && outcome.stderr.equals(stderr)
	? undefined
	: `exit ${outcome.code}, stdout ${outcome.stdout.length} bytes ${JSON.stringify(outcome.stdout.subarray(0, 40).toString('hex'))}, stderr ${outcome.stderr.length} bytes ${JSON.stringify(outcome.stderr.subarray(0, 40).toString('hex'))}`);

export const checks: Check[] = [
	{promise: 'a background `sleep 1000 &` (and a `setsid` one) is gone before the next file', steps: [
		{script: 'sleep 1000 & setsid sleep 1001 & echo started', timeoutMs: quick, expect: exits(0)},
		noSleepLeft,
	]},
	{promise: 'no zombie of the previous file is left', steps: [
		{script: 'sleep 1000 & sleep 1001 &', timeoutMs: quick, expect: exits(0)},
		{script: '! cat /proc/[0-9]*/stat 2>/dev/null | grep -q \'^[0-9]* ([^)]*) Z\'', timeoutMs: quick, expect: exits(0)},
	]},
	{promise: 'own env: the file\'s own seen, `export X=1` not seen by the next', steps: [
		{script: '[ "$Y" = "a b" ] && export X=1', env: {Y: 'a b'}, timeoutMs: quick, expect: exits(0)},
		{script: '[ -z "$X" ] && [ -z "$Y" ]', timeoutMs: quick, expect: exits(0)},
	]},
	{promise: 'own workdir', steps: [
		{script: '[ "$(pwd)" = /tmp ] && cd /etc', workdir: '/tmp', timeoutMs: quick, expect: exits(0)},
		{script: '[ "$(pwd)" = / ]', workdir: '/', timeoutMs: quick, expect: exits(0)},
	]},
	{promise: 'stdin closed (a `read` ends at once)', steps: [
		{script: '! read line', timeoutMs: quick, expect: exits(0)},
	]},
	{promise: 'exit 3 is reported as 3, a `kill -9 $$` as 137', steps: [
		{script: 'exit 3', timeoutMs: quick, expect: exits(3)},
		{script: 'kill -9 $$', timeoutMs: quick, expect: exits(137)},
	]},
	{promise: 'a timeout kills the file and its children; the slot goes on', steps: [
		{script: 'sleep 1000 & sleep 1001', timeoutMs: 1000, expect: outcome => (outcome.timedOut && outcome.code === 137 ? undefined : `exit ${outcome.code}, timed out ${outcome.timedOut}`)},
		noSleepLeft,
	]},
	{promise: 'output exact: binary, no trailing newline, stdout and stderr apart', steps: [
		{script: `printf '${octal(binary)}'; printf 'err\\000' >&2`, timeoutMs: quick, expect: exact(binary, Buffer.from('err\0'))},
		{script: 'true', timeoutMs: quick, expect: exact(Buffer.alloc(0), Buffer.alloc(0))},
		{script: 'head -c 1000000 /dev/zero; echo e >&2', timeoutMs: quick, expect: exact(Buffer.alloc(1_000_000), Buffer.from('e\n'))},
	]},
];

/** Each check in a fresh slot: undefined when it held, else what went wrong. */
export async function checkPromises(api: EngineApi, open: OpenSlot, options: SlotOptions): Promise<Array<string | undefined>> {
	const results: Array<string | undefined> = [];
	for (const {steps} of checks) {
		// eslint-disable-next-line no-await-in-loop
		const slot = await open(api, options);
		try {
			let problem: string | undefined;
			for (const [index, step] of steps.entries()) {
				// eslint-disable-next-line no-await-in-loop
				problem = step.expect(await slot.run(step));
				if (problem) {
					problem = `file ${index + 1}: ${problem}`;
					break;
				}
			}

			results.push(problem);
		} catch (error) {
			results.push(`error: ${(error as Error).message}`);
		} finally {
			// eslint-disable-next-line no-await-in-loop
			await slot.close();
		}
	}

	return results;
}
