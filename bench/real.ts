/**
What `--isolate slot` gives two real projects tried as a new user would, the preset alone at -j 2 (issue 22):
express's mocha files against running them one after another on the host without containers, and
boltons' and toolz's pytest files against pytest running the whole suite in one process (in the image,
one container); a container per file and `--isolate slot` each, and beside them the files' own pytest
processes run -j at a time in one container by `xargs -P`: the floor of any runner that starts a process
per file, where the once-a-run costs (node, the slots' containers) come on top. Needs the images baleen-test-node and
baleen-test-pytest (script/setup).

    npm run bench -- real [--rounds 3 -j 2 --only express,boltons,toolz]
*/
import {fileURLToPath} from 'node:url';
import {benchEngine} from './lib/engine-api.js';
import {baleen, goal, interleave, logTime, quote, ratioTable, readOptions, type Times, type Way} from './lib/measure.js';
import {type Session} from './lib/session.js';

const project = (name: string) => fileURLToPath(new URL(`../../test/fixtures/real/${name}`, import.meta.url));

/** A suite whose files fail as the project's own do: toolz has one failing file, which is not the bench's failure. */
const failingToo = (command: string, code = 1) => `${command} || [ $? -eq ${code} ]`;

/** A preset's run of the project, the project mounted where it is the workdir. */
const preset = (framework: string, image: string, directory: string, concurrency: number, extra: string[]) =>
	// --split off: the timings a round leaves would split files in the next, and each way is to run the same files.
	baleen([framework, '-i', image, '-m', `${directory}:/suite:ro`, '-w', '/suite', '-j', String(concurrency), '--split', 'off', ...extra]);

async function measure(bench: Session, ways: Way[], rounds: number, baseline: string, slotAtMost: number): Promise<void> {
	const times: Times = await interleave(ways, rounds, logTime);
	console.log(`\n${ratioTable(times, baseline)}\n\n${goal(times, 'baleen --isolate slot', baseline, slotAtMost)}\n`);
}

export async function main(bench: Session, args: string[]): Promise<void> {
	const {concurrency, rounds, extra} = readOptions(args, {files: 1, concurrency: 2, rounds: 3}, ['only']);
	const only = extra.only?.split(',');
	const picked = (name: string) => only === undefined || only.includes(name);

	if (picked('express')) {
		const express = project('mocha-express');
		console.log(`express: its mocha files, -j ${concurrency}, ${rounds} rounds`);
		const mocha = (own: string[]) => preset('mocha', 'baleen-test-node', express, concurrency, [...own, '--', '--timeout', '30000']);
		await measure(bench, [
			{name: 'sequential on the host', run: async () => bench.sh(`find test -name '*.js' | sort | while read -r file; do node_modules/.bin/mocha --timeout 30000 "$file" > /dev/null || exit 1; done`, {cwd: express})},
			{name: 'baleen', run: async () => bench.sh(mocha([]), {cwd: express})},
			{name: 'baleen --isolate slot', run: async () => bench.sh(mocha(['--isolate', 'slot']), {cwd: express})},
		], rounds, 'sequential on the host', 0.7);
	}

	// Two pytest projects: boltons is the kind issue 22 measured (29 small files, about 3 s in one process);
	// toolz has 15 files whose interpreter start is most of what each takes.
	for (const [name, folder, failing] of [['boltons', 'pytest-boltons', false], ['toolz', 'pytest-toolz', true]] as const) {
		if (picked(name)) {
			const directory = project(folder);
			const runs = (command: string, code = 1) => (failing ? failingToo(command, code) : command);
			const {label} = benchEngine(bench);
			const inImage = (script: string) => `docker run --rm --label ${quote(label)} -v ${quote(`${directory}:/suite:ro`)} -w /suite baleen-test-pytest ${script}`;
			console.log(`${name}: its pytest files, -j ${concurrency}, ${rounds} rounds`);
			// eslint-disable-next-line no-await-in-loop
			await measure(bench, [
				{name: 'pytest, one process', run: async () => bench.sh(runs(`${inImage('python3 -m pytest -q -p no:cacheprovider')} > /dev/null`), {cwd: directory})},
				// What no runner of a process per file can beat here: the files' own pytest processes, two at once, in one container (xargs says 123 for a failing one).
				{name: `xargs -P ${concurrency}, one container`, run: async () => bench.sh(runs(`${inImage(`sh -c ${quote(`find . -name 'test_*.py' -o -name '*_test.py' | sort | xargs -P ${concurrency} -n 1 python3 -m pytest -q -p no:cacheprovider`)}`)} > /dev/null`, 123), {cwd: directory})},
				{name: 'baleen', run: async () => bench.sh(runs(preset('pytest', 'baleen-test-pytest', directory, concurrency, [])), {cwd: directory})},
				{name: 'baleen --isolate slot', run: async () => bench.sh(runs(preset('pytest', 'baleen-test-pytest', directory, concurrency, ['--isolate', 'slot'])), {cwd: directory})},
			], rounds, 'pytest, one process', 1.8);
		}
	}
}
