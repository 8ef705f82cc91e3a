/**
What the terminal view costs a run: the same 100 short files, run with the live view on a
pseudo-terminal and with --json, in turns, several rounds; prints each time and the ratios against
the --json baseline measured in the same run. Needs the engine, the image baleen-test-shell
(`script/images`) and util-linux's `script` for the pseudo-terminal.

    npm run bench [-- --files 100 --rounds 3 --concurrency 4]
*/
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const {values} = parseArgs({
	options: {
		files: {type: 'string', default: '100'},
		rounds: {type: 'string', default: '3'},
		concurrency: {type: 'string', default: '4'},
	},
});
const files = Number(values.files);
const rounds = Number(values.rounds);
const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
const quote = (text: string) => `'${text.replaceAll('\'', '\'\\\'\'')}'`;

const dir = mkdtempSync(path.join(tmpdir(), 'baleen-bench-'));
for (let index = 0; index < files; index++) {
	writeFileSync(path.join(dir, `t${String(index).padStart(3, '0')}.sh`), `echo "file ${index} ok"\n`);
}

const run = ['node', quote(cli), quote('*.sh'), '-i', 'baleen-test-shell', '-m', '.:/w', '-w', '/w', '-c', quote('sh {file}'), '-j', values.concurrency].join(' ');

/** Each way of running, as a shell command; the view needs a terminal, so it runs under `script`. */
const modes: Record<string, string> = {
	json: `${run} --json`,
	ui: `script -qfec ${quote(`stty cols 100 rows 30; CI=false ${run}`)} /dev/null`,
	'json-pty': `script -qfec ${quote(`stty cols 100 rows 30; ${run} --json --quiet`)} /dev/null`,
};

function timeOne(command: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint();
		const child = spawn('sh', ['-c', command], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.resume();
		child.stderr.resume();
		child.on('error', reject);
		child.on('exit', code => {
			if (code !== 0) {
				reject(new Error(`${command} exited ${code}`));
				return;
			}

			resolve(Number(process.hrtime.bigint() - started) / 1e6);
		});
	});
}

const median = (numbers: number[]) => {
	const sorted = [...numbers].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map(name => [name, []]));
try {
	console.log(`baleen bench: ${files} files, -j ${values.concurrency}, ${rounds} rounds; modes in turn: ${Object.keys(modes).join(', ')}`);
	for (let round = 1; round <= rounds; round++) {
		for (const [name, command] of Object.entries(modes)) {
			// eslint-disable-next-line no-await-in-loop
			const ms = await timeOne(command);
			times[name]!.push(ms);
			console.log(`round ${round}  ${name.padEnd(8)} ${(ms / 1000).toFixed(2)} s`);
		}
	}

	const baseline = median(times.json!);
	console.log('\nmode      median    min       max       ratio to json (median)');
	for (const [name, list] of Object.entries(times)) {
		const m = median(list);
		console.log(`${name.padEnd(9)} ${(m / 1000).toFixed(2).padStart(6)} s  ${(Math.min(...list) / 1000).toFixed(2).padStart(6)} s  ${(Math.max(...list) / 1000).toFixed(2).padStart(6)} s  ${(m / baseline).toFixed(3)}`);
	}
} finally {
	rmSync(dir, {recursive: true, force: true});
}
