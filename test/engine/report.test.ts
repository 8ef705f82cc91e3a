import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {pathToFileURL} from 'node:url';
import {launch, type Browser, type Page} from '../../bench/lib/chromium.js';
import type {RunEvent} from '../../source/events.js';
import {baleen, leftovers, parseLines, runStart, testEnds} from '../helpers/cli.js';
import {repository} from '../helpers/config-fixtures.js';

const demo = ['--config', 'example/baleen.yml', '--project', 'cart'];
const failing = 'features/delivery.feature';

let browser: Browser;
const work = mkdtempSync(path.join(tmpdir(), 'baleen-report-'));
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
	rmSync(work, {recursive: true, force: true});
});

const containersOf = (events: readonly RunEvent[]) => events.flatMap(event => (event.type === 'test-start' ? [event.containerId] : [])).sort();

/** What a person sees of the page: each file listed, and each bar's container. */
async function seen(page: Page) {
	return page.evaluate<{files: string[]; visible: string[]; containers: string[]; dim: number}>(`({
		files: [...document.querySelectorAll('#files .file .name')].map(name => name.textContent),
		visible: [...document.querySelectorAll('#files .file:not([hidden]) .name')].map(name => name.textContent),
		containers: [...document.querySelectorAll('[data-container]')].map(bar => bar.dataset.container).sort(),
		dim: document.querySelector('.timeline.filtered') ? document.querySelectorAll('.bar:not(.hit)').length : 0,
	})`);
}

/** The checks every report of the demo passes, one run's or the merge of its shards. */
async function checkDemoReport(file: string, events: readonly RunEvent[]): Promise<void> {
	const page = await browser.page();
	await page.load(pathToFileURL(file).href);
	const all = await seen(page);
	assert.deepEqual([...all.files].sort(), testEnds([...events]).map(({file}) => file).sort(), 'every file listed once');
	assert.equal(all.files[0], failing, 'the failure first');
	assert.deepEqual(all.containers, containersOf(events), 'one bar per container, carrying its id');

	// A failure clicked open shows the failing scenario and its assertion.
	await page.click('#files .file.failed .summary');
	const opened = await page.evaluate<{open: boolean; text: string}>(`(() => {
		const file = document.querySelector('#files .file.failed');
		return {open: file.querySelector('.summary').getAttribute('aria-expanded') === 'true', text: file.querySelector('.body').innerText};
	})()`);
	assert.ok(opened.open, 'the failure opened');
	assert.match(opened.text, /1\) Scenario: Free from 50\.00 exactly[\s\S]*495 !== 0/);

	// Passed files filtered out: the failure alone is left, the other bars dimmed.
	await page.click('.filter.passed input');
	const failuresOnly = await seen(page);
	assert.deepEqual(failuresOnly.visible, [failing]);
	assert.equal(failuresOnly.dim, containersOf(events.filter(event => event.type === 'test-start' && event.file !== failing)).length, 'the bars of the hidden files dimmed');
	await page.click('.filter.passed input');

	// Search, typed as a person types.
	await page.click('#search');
	await page.type('gift');
	const found = await seen(page);
	assert.deepEqual(found.visible, ['features/gifts/gift-order.feature']);
	assert.equal((await seen(page)).files.length, all.files.length);

	// Both colour schemes render: the page follows the reader's setting, and the text stays on a contrasting ground.
	const colours = async () => page.evaluate<{ground: string; text: string}>('({ground: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.body).color})');
	await page.colorScheme('light');
	const light = await colours();
	await page.colorScheme('dark');
	const dark = await colours();
	assert.deepEqual(light, {ground: 'rgb(255, 255, 255)', text: 'rgb(31, 35, 40)'});
	assert.deepEqual(dark, {ground: 'rgb(13, 17, 23)', text: 'rgb(230, 237, 243)'});
	assert.ok((await page.screenshot()).length > 10_000, 'a picture of it in the dark');
}

describe('the HTML report, in Chromium', () => {
	test('the demo\'s --output-dir holds report.html: every file, the failing scenario, a bar per container, filter and search, light and dark', async () => {
		const out = path.join(work, 'demo');
		const {code, events} = await baleen([...demo, '--output-dir', out, '--json'], {cwd: repository});
		assert.deepEqual(leftovers(runStart(events).runId), []);
		assert.equal(code, 1);
		await checkDemoReport(path.join(out, 'report.html'), events);
	});

	test('three shards on the engine, merged by baleen report: one report, one JUnit, the summary, JSON lines and the exit code of the whole', async () => {
		const timings = path.join(work, 'timings.json');
		const shards = await Promise.all([1, 2, 3].map(async index => {
			const out = path.join(work, `shard-${index}`);
			const result = await baleen([...demo, '--shard', `${index}/3`, '--timings', timings, '--output-dir', out, '--json'], {cwd: repository});
			assert.deepEqual(leftovers(runStart(result.events).runId), []);
			return {out, events: result.events};
		}));
		assert.equal(new Set(shards.map(({events}) => runStart(events).shard?.digest)).size, 1, 'the shards were planned alike');
		const merged = path.join(work, 'merged');
		const junit = path.join(work, 'merged.xml');
		const {code, stdout, stderr} = await baleen(['report', ...shards.map(({out}) => out), '--output-dir', merged, '--junit', junit], {cwd: work});
		assert.equal(code, 1, 'the merged run failed: the demo fails one file on purpose');
		assert.match(stderr, /^Fail: 7 passed, 1 failed of 8 files$/m);
		assert.doesNotMatch(stderr, /ran in .* and|ran in no shard|planned from different/, 'no file twice, none missing');
		const events = parseLines(stdout);
		const end = events.at(-1);
		assert.equal(end?.type === 'run-end' && end.exitCode, 1);
		assert.deepEqual(containersOf(events), shards.flatMap(({events}) => containersOf(events)).sort(), 'every shard\'s containers');
		assert.equal((readFileSync(junit, 'utf8').match(/<testcase /g) ?? []).length, 8);
		assert.deepEqual(parseLines(readFileSync(path.join(merged, 'events.jsonl'), 'utf8')).length, events.length);
		await checkDemoReport(path.join(merged, 'report.html'), events);
	});

	test('bad input on the command line: one line on stderr, exit 2, no OUT made', async () => {
		const cwd = mkdtempSync(path.join(work, 'bad-'));
		writeFileSync(path.join(cwd, 'old.jsonl'), '{"schema":1,"type":"run-start"}\n');
		for (const [input, said] of [['old.jsonl', /^baleen: old\.jsonl holds schema 1 events/], ['.', /^baleen: \. is not a baleen output folder/]] as const) {
			// eslint-disable-next-line no-await-in-loop
			const {code, stderr, stdout} = await baleen(['report', input, '--output-dir', 'out'], {cwd});
			assert.equal(code, 2);
			assert.match(stderr, said);
			assert.equal(stderr.trimEnd().split('\n').length, 1, 'one line');
			assert.equal(stdout, '');
			assert.equal(existsSync(path.join(cwd, 'out')), false);
		}
	});
});
