/**
The picture of a report page for the readme: `node --import tsx script/report-picture.ts PAGE OUT`
loads PAGE in headless Chromium (light scheme, 1280 wide), clicks its first failure open, and saves
the whole page as a PNG at OUT.
*/
import {writeFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
import {launch} from '../bench/lib/chromium.js';

const [page, out] = process.argv.slice(2);
if (!page || !out) {
	console.error('usage: report-picture.ts PAGE OUT');
	process.exit(2);
}

const browser = await launch();
try {
	const tab = await browser.page();
	await tab.resize(1280, 900);
	await tab.colorScheme('light');
	await tab.load(pathToFileURL(page).href);
	await tab.click('#files .file.failed .summary');
	const height = await tab.evaluate<number>('(scrollTo(0, 0), document.documentElement.scrollHeight)');
	await tab.resize(1280, Math.min(height, 2400));
	writeFileSync(out, await tab.screenshot());
} finally {
	await browser.close();
}
