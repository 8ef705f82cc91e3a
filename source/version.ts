import {readFileSync} from 'node:fs';

/** The package.json above this module: one folder up from source/ and dist/, two from the benches' build (dist-bench/source/). */
const places = ['../package.json', '../../package.json'];

function ownVersion(): string {
	for (const place of places) {
		try {
			return (JSON.parse(readFileSync(new URL(place, import.meta.url), 'utf8')) as {version: string}).version;
		} catch {}
	}

	return 'unknown';
}

/** baleen's own version, from its package.json. */
export const version = ownVersion();
