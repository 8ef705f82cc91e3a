/** The keys of one queue: every one under `baleen:queue:{NAME}:` (one hash slot, for a cluster's sake), each with an expiry. */
export type QueueKeys = {
	/** Hash: `digest` of the file list, `total`. */
	meta: string;
	/** List: every file, as the first job put them, longest first. */
	files: string;
	/** List: the files no job has taken yet, the next one first. */
	pending: string;
	/** Sorted set: each taken file not finished yet, by the server time (ms) its lease ends. */
	leases: string;
	/** Hash: file → the job that took it last (a retried job replays its own). */
	owners: string;
	/** Hash: file → its result, the `test-end` written first (or a retried job's). */
	results: string;
	/** List: the results written after the one kept, as repeated attempts. */
	repeated: string;
	/** Channel (no key): a message whenever a file gets its result or a lost lease's file goes back, for the slots waiting on other jobs' files. */
	changes: string;
};

export const queueKeys = (name: string): QueueKeys => {
	const prefix = `baleen:queue:{${name}}:`;
	return {
		meta: `${prefix}meta`,
		files: `${prefix}files`,
		pending: `${prefix}pending`,
		leases: `${prefix}leases`,
		owners: `${prefix}owners`,
		results: `${prefix}results`,
		repeated: `${prefix}repeated`,
		changes: `${prefix}changes`,
	};
};

/** Hash: file → milliseconds it took when it last ran, in any queue of the project: the next run's order. */
export const timingsKey = (project: string) => `baleen:timings:{${project}}`;

/** A queue left by a finished run is reused only once it expired: a day after its last change. */
export const queueTtlSeconds = 24 * 60 * 60;

/** The shared timings outlive any one run's queue. */
export const timingsTtlSeconds = 30 * 24 * 60 * 60;
