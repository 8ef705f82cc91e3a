import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {tailBytes} from '../../source/run/lifecycle.js';
import {baleen, inSuite, leftovers, runEnd, runStart, shellImage, testEnds} from '../helpers/cli.js';
import {folder} from '../helpers/folder.js';

test('200 files at -j 8: each reported exactly once', async () => {
	const names = Array.from({length: 200}, (_, index) => `t${String(index).padStart(3, '0')}.sh`);
	const directory = folder(Object.fromEntries(names.map(name => [name, ''])));
	const {code, events} = await baleen(['*.sh', '-i', shellImage, '-c', 'echo {file}', '-j', '8', '--json'], {cwd: directory});
	assert.equal(code, 0);
	const ends = testEnds(events);
	assert.deepEqual(ends.map(end => end.file).toSorted(), names);
	assert.ok(ends.every(end => end.status === 'passed' && end.stdout === `${end.file}\n`));
	assert.equal(events.filter(event => event.type === 'test-start').length, 200);
	assert.deepEqual(runEnd(events)?.summary, {total: 200, passed: 200, flaky: 0, failed: 0, timedOut: 0, errored: 0, cancelled: 0});
	assert.deepEqual(leftovers(runStart(events)?.runId), []);
});

test('sliding window: short files run beside a long one, which waits for them all', async () => {
	// The long file waits until every short file has left its mark. That can only happen if the
	// short ones run in the slots beside it; with fixed batches they would wait for it, and it for them.
	const shorts = Array.from({length: 8}, (_, index) => `short-${index}.sh`);
	const marks = mkdtempSync(path.join(tmpdir(), 'baleen-marks-'));
	const directory = folder({
		'a-long.sh': `for i in $(seq 1 600); do [ "$(ls /marks | wc -l)" -ge ${shorts.length} ] && exit 0; sleep 0.1; done; exit 1\n`,
		...Object.fromEntries(shorts.map(name => [name, `touch "/marks/$BALEEN_FILE"\n`])),
	});
	const {code, events} = await inSuite(directory, '-j', '3', '-m', `${marks}:/marks`);
	assert.equal(code, 0, JSON.stringify(testEnds(events).find(end => end.status !== 'passed')));
	assert.deepEqual(readdirSync(marks).toSorted(), shorts);
	const long = testEnds(events).find(end => end.file === 'a-long.sh')!;
	assert.equal(long.status, 'passed');
	const shortTotal = testEnds(events).filter(end => end !== long).reduce((sum, end) => sum + end.durationMs, 0);
	console.log(`long file ${long.durationMs} ms, whole run ${runEnd(events)?.durationMs} ms, short files ${shortTotal} ms in all`);
});

test('a file printing 200 MB: the tail stays bounded and baleen\'s memory flat', async () => {
	const quiet = await inSuite(folder({'quiet.sh': 'echo done >&2\n'}));
	const {code, events, peakRssKb} = await inSuite(folder({'loud.sh': 'yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 200000000; echo done >&2\n'}));
	assert.equal(code, 0);
	const [loud] = testEnds(events);
	assert.equal(loud?.stdoutBytes, 200_000_000);
	assert.equal(Buffer.byteLength(loud.stdout), tailBytes);
	assert.match(loud.stdout, /^(?:[\da-z]*\n)+[\da-z]*$/);
	assert.equal(loud.stderr, 'done\n');
	console.log(`peak RSS of baleen: ${Math.round(quiet.peakRssKb / 1024)} MB for a quiet file, ${Math.round(peakRssKb / 1024)} MB while 200 MB went through`);
	assert.ok(quiet.peakRssKb > 0, 'the memory was sampled');
	assert.ok(peakRssKb - quiet.peakRssKb < 100 * 1024, `keeping 200 MB would show; ${peakRssKb - quiet.peakRssKb} kB more is not that`);
});
