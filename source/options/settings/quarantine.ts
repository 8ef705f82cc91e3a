import {defaultQuarantineFile, readQuarantine, type QuarantineList} from '../../quarantine/list.js';
import {option} from '../declaration.js';
import {fromBase, text} from './kinds.js';

/** `--quarantine FILE`: the quarantine list (relative to where it was written); `.baleen/quarantine.yml` beside baleen.yml when absent. */
export const quarantine = option({
	name: 'quarantine',
	type: 'string',
	value: 'FILE',
	help: 'The quarantine list: known-flaky tests or files that still run and are\nreported, but whose failures do not fail the run; an entry past its\nexpires date does (default: .baleen/quarantine.yml beside baleen.yml, or here)',
	section: 'Options',
	schema: text('expected the quarantine list\'s file').optional(),
	meaning: fromBase,
});

/** The run's quarantine list: the file named, which must be there, else the project's default one, if there is one. */
export function quarantineListFor(named: string | undefined, historyBase: string, shown: (file: string) => string): QuarantineList | undefined {
	const file = named ?? defaultQuarantineFile(historyBase);
	return readQuarantine(file, named !== undefined, shown(file));
}
