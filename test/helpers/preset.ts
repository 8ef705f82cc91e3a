import path from 'node:path';
import {baleen, runEnd, type CliResult} from './cli.js';
import {folder} from './folder.js';
import {readJunit} from './junit.js';

export type PresetRun = CliResult & {
	/** Each testcase of `--junit`: its file, its name, its outcome (passed, failure, error, skipped). */
	tests: Array<{file: string; name: string; outcome: string}>;
	/** Where `--junit` wrote its report, to read more of it (see `readJunit`). */
	junit: string;
	/** The counts as the summary line on stderr says them: `Fail: 1 passed, 1 failed of 2 files; 5 passed, 1 failed, 1 skipped of 7 tests`. */
	summary: string | undefined;
	/** The run's test counts, as run-end carries them. */
	totals: {total: number; passed: number; failed: number; skipped: number} | undefined;
};

export type PresetSuite = {
	/** The suite's folder on the host: the run starts there, and it is mounted. */
	suite: string;
	image: string;
	/** The folder mounted at /suite (read-only), when not the suite itself: one holding the suite and the node_modules it needs. */
	root?: string;
	/** More of baleen's arguments: patterns, flags, `--` and the framework's. */
	extra?: string[];
};

/**
A preset run as a user would type it: `baleen FRAMEWORK -i IMAGE -m ROOT:/suite:ro -w /suite/… --junit …`,
from the suite's folder, with what it gave back: the testcases of `--junit`, the summary line, the totals.
*/
export async function runPreset(framework: string, {suite, image, root = suite, extra = []}: PresetSuite): Promise<PresetRun> {
	const junit = path.join(folder(), 'junit.xml');
	const workdir = path.posix.join('/suite', path.relative(root, suite).split(path.sep).join('/'));
	const [own, passed] = extra.includes('--') ? [extra.slice(0, extra.indexOf('--')), extra.slice(extra.indexOf('--'))] : [extra, []];
	const result = await baleen([framework, '-i', image, '-m', `${root}:/suite:ro`, '-w', workdir, '--junit', junit, '--json', ...own, ...passed], {cwd: suite});
	let tests: PresetRun['tests'] = [];
	try {
		tests = readJunit(junit).cases.map(({file, name, outcome}) => ({file, name, outcome}));
	} catch {}

	const end = runEnd(result.events);
	return {
		...result,
		tests,
		junit,
		summary: /^(?:Pass|Fail|Cancelled): .*$/m.exec(result.stderr)?.[0],
		totals: end?.tests,
	};
}
