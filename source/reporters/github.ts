import {appendFileSync} from 'node:fs';
import {
	annotations, expiredAnnotations, quarantineNotices, stepSummary,
} from '../junit/github.js';
import {collect} from './junit.js';
import type {Reporter} from './reporter.js';

/** Whether baleen runs in a GitHub Actions job, as the runner says it in every step's environment. */
export const inGitHubActions = (environment: NodeJS.ProcessEnv = process.env) => environment.GITHUB_ACTIONS === 'true';

/**
GitHub Actions: once the run ends, an `::error` annotation for each file that did not pass (the first
ten) and a `::notice` for each that ended quarantined (the first ten) on `stream`, and the run's Markdown summary appended to `summaryFile` (`$GITHUB_STEP_SUMMARY`).
*/
export function githubReporter(stream: Pick<NodeJS.WritableStream, 'write'>, summaryFile: string | undefined): Reporter {
	return events$ => ({
		written: new Promise<void>(resolve => {
			let last: Parameters<typeof stepSummary> | undefined;
			let results: Parameters<typeof annotations>[0] = [];
			collect(events$).subscribe({
				next(collected) {
					results = collected.results;
					last = collected.end ? [collected.end, collected.results] : undefined;
				},
				error: () => resolve(),
				complete() {
					for (const line of [...annotations(results), ...quarantineNotices(results), ...(last ? expiredAnnotations(last[0]) : [])]) {
						stream.write(`${line}\n`);
					}

					if (last && summaryFile) {
						try {
							appendFileSync(summaryFile, `${stepSummary(...last)}\n`);
						} catch (error) {
							stream.write(`baleen: cannot append the step summary to ${summaryFile}: ${(error as Error).message}\n`);
						}
					}

					resolve();
				},
			});
		}),
	});
}
