import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {from} from 'rxjs';
import {startOutput} from '../../source/output.js';
import {
	runEnd, runStart, stateOf, testEnd, testOutput, testStart,
} from './ui-fixtures.js';

function sink() {
	const chunks: string[] = [];
	return {stream: {write: (chunk: string) => chunks.push(chunk) > 0} as unknown as NodeJS.WriteStream, text: () => chunks.join('')};
}

const failed = testEnd('b.sh', 'failed', 300, {exitCode: 3, stderr: 'boom\n', stderrBytes: 5});
const events = [runStart(2, 2), testStart('a.sh', 0), testOutput('a.sh', 'live'), testEnd('a.sh', 'passed', 200), failed];
const all = [...events, runEnd(stateOf(events), 400)];

describe('output without a terminal', () => {
	it('writes JSON lines on stdout (no live output) and a plain log on stderr', async () => {
		const stdout = sink();
		const stderr = sink();
		await startOutput({stdout: 'json', stderr: 'plain', quiet: false}, from(all), {stdout: stdout.stream, stderr: stderr.stream});
		const lines = stdout.text().trimEnd().split('\n').map(line => (JSON.parse(line) as {type: string}).type);
		assert.deepEqual(lines, ['run-start', 'test-start', 'test-end', 'test-end', 'run-end']);
		assert.equal(stderr.text(), [
			'baleen: 2 files in baleen-test-shell, 2 at once (unix:///var/run/docker.sock)',
			'✓ passed    a.sh (200ms)',
			'✗ failed    b.sh (exit 3, 300ms)',
			'',
			'Fail: 1 passed, 1 failed of 2',
			'Time: 400ms (files took 500ms in all, 1.3x from running in parallel)',
			'',
			'── b.sh: failed, exit code 3',
			'  stderr:',
			'    boom',
			'',
		].join('\n'));
	});

	it('leaves stderr alone with --quiet, even for the cancel notice', async () => {
		const stdout = sink();
		const stderr = sink();
		const output = await startOutput({stdout: 'json', stderr: 'none', quiet: true}, from(all), {stdout: stdout.stream, stderr: stderr.stream});
		output.cancelling('SIGINT');
		assert.equal(stderr.text(), '');
		assert.ok(stdout.text().length > 0);
	});

	it('says on stderr that a signal is cancelling when there is no view to show it', async () => {
		const stderr = sink();
		const output = await startOutput({stdout: 'json', stderr: 'plain', quiet: false}, from([]), {stdout: sink().stream, stderr: stderr.stream});
		output.cancelling('SIGTERM');
		assert.equal(stderr.text(), 'baleen: SIGTERM: cancelling, removing running containers (Ctrl-C again to force)\n');
	});
});
