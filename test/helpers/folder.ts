import {chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

/** A fresh folder under the system's temporary one, by its real path, holding the given files (path → text), each executable. */
export function folder(files: Record<string, string> = {}): string {
	const directory = realpathSync(mkdtempSync(path.join(tmpdir(), 'baleen-test-')));
	for (const [name, text] of Object.entries(files)) {
		const file = path.join(directory, name);
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, text);
		chmodSync(file, 0o755);
	}

	return directory;
}
