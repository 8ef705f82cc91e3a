import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import {after, describe, test} from 'node:test';
import {expectedOf, fileResult, frameworks, readExpected, runFile} from '../helpers/framework-suites.js';

// The presets are tested on these images and suites: a framework that no longer runs in its image, or
// reports its suite otherwise than EXPECTED.json, fails here, before it is mistaken for a preset's bug.

const label = `baleen.test=framework-images-${randomUUID()}`;

after(() => {
	const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=${label}`], {encoding: 'utf8'}).split('\n').filter(Boolean);
	if (left.length > 0) {
		execFileSync('docker', ['rm', '-f', ...left], {stdio: 'ignore'});
	}
});

describe('each framework, run directly in its image, reports its suite as its EXPECTED.json says', {concurrency: 4}, () => {
	for (const [name, {image}] of Object.entries(frameworks)) {
		test(`${name} in ${image}`, async () => {
			const hint = `(test/fixtures/frameworks/${name}; its image is made by \`bash script/images\`, its npm packages by \`bash script/setup\`)`;
			const expected = readExpected(name);
			const run = async (file: string) => runFile(name, file, [label]).catch((error: unknown) => assert.fail(`${(error as Error).message}\n${hint}`));
			const runs = await Promise.all(Object.keys(expected.files).map(async file => [file, fileResult(await run(file))] as const));
			const reported = expectedOf(Object.fromEntries(runs));
			assert.deepEqual(reported.totals, expected.totals, `${name}'s totals in ${image} ${hint}`);
			assert.deepEqual(reported.files, expected.files, `${name}'s tests in ${image} ${hint}`);
		});
	}
});
