import {hostname} from 'node:os';
import {z} from 'zod';
import {queueAddress, type QueueAddress} from '../../queue/address.js';
import {ownWords} from '../check.js';
import {option} from '../declaration.js';
import {numberFromText, text} from './kinds.js';

const addressExpected = 'expected redis://[USER:PASSWORD@]HOST:PORT/NAME or rediss:// (TLS)';

/**
`--queue redis://[user:pass@]host:port/NAME`: every job of a pipeline runs the same command and takes
the next file of one shared queue whenever a slot frees, instead of a share of its own (`--shard`).
A wrong URL is told with its password hidden, never as given.
*/
export const queue = option({
	name: 'queue',
	type: 'string',
	value: 'URL',
	help: 'Share the files with every CI job given the same URL: a Redis server and a\nqueue NAME, redis://[USER:PASSWORD@]HOST:PORT/NAME (rediss:// with TLS); each\njob takes the next file, longest first, whenever a slot frees, and takes back\nthe files of a job that was lost; the first job puts the files in the queue,\none with other files is refused; files are not split (--split off);\nbaleen report --queue URL gives the whole run once the queue is drained',
	section: 'Options',
	schema: z.string({error: addressExpected}).transform((given, context): QueueAddress => {
		try {
			return queueAddress(given);
		} catch (error) {
			return ownWords(context, error, given);
		}
	}).optional(),
});

/** Why the queue cannot go with other options of the run, if it cannot. */
export function queueRefusal({queue, shard}: {queue?: QueueAddress; shard?: unknown}): string | undefined {
	return queue && shard ? '--queue and --shard do not go together: the queue hands each job its files; leave --shard out' : undefined;
}

const secondsExpected = 'expected seconds from 1 to 3600, e.g. 15';

/** How long a taken file stays its job's without a heartbeat: a job killed loses its files after this, and the others take them. */
export const queueLease = option({
	name: 'queue-lease',
	type: 'string',
	value: 'SECONDS',
	help: 'With --queue: how long a file stays its job\'s once the job stops telling it\nruns it (killed, its runner lost); then another job takes it (default: 15)',
	section: 'Options',
	fromText: numberFromText,
	wrong: given => `must be a number of seconds from 1 to 3600, not "${given}"`,
	schema: z.number({error: secondsExpected}).min(1, {error: secondsExpected}).max(3600, {error: secondsExpected}).default(15),
});

/** The CI variables that name a job the same way on each of its attempts, the first that is set winning. */
const jobVariables = ['BALEEN_QUEUE_JOB', 'CI_NODE_INDEX', 'CIRCLE_NODE_INDEX', 'BUILDKITE_PARALLEL_JOB', 'CI_JOB_NAME', 'GITHUB_JOB'] as const;

/** The CI variables that count a job's attempts: more than the first marks a retried job. */
const attemptVariables = [['GITHUB_RUN_ATTEMPT', 1], ['BUILDKITE_RETRY_COUNT', 0]] as const;

/** This job's name in the queue: the one given, the CI's for the job (the same on a retry), or this host and process. */
export function jobIdentity(given: string | undefined, environment: NodeJS.ProcessEnv): string {
	const fromCi = jobVariables.map(name => environment[name]).find(value => value !== undefined && value !== '');
	return given ?? fromCi ?? `${hostname()}:${process.pid}`;
}

/** Whether this job is a retry of an earlier attempt: asked, or as the CI counts its attempts. */
export function isRetry(given: boolean, environment: NodeJS.ProcessEnv): boolean {
	return given || attemptVariables.some(([name, first]) => Number(environment[name] ?? first) > first);
}

export const queueJob = option({
	name: 'queue-job',
	type: 'string',
	value: 'ID',
	help: 'With --queue: this job\'s name in the queue, the same on a retried attempt\n(default: BALEEN_QUEUE_JOB, or the CI\'s job index or name, or host:pid)',
	section: 'Options',
	inConfig: false,
	schema: text('expected a name for this job').optional(),
});

export const queueRetry = option({
	name: 'queue-retry',
	type: 'boolean',
	help: 'With --queue: this job is a retry of an earlier attempt of --queue-job: it runs\nagain the files that attempt ran (with --last-failed, those that did not pass),\nits results replacing the earlier ones (default: when the CI counts a retry,\nGITHUB_RUN_ATTEMPT, BUILDKITE_RETRY_COUNT)',
	section: 'Options',
	inConfig: false,
	schema: z.boolean({error: 'expected true or false'}).default(false),
});
