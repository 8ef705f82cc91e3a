import {posix} from 'node:path';
import {shellWord} from '../shell-word.js';
import {linesBut, named, takesAll} from './filters.js';
import type {Framework} from './framework.js';

/**
A test's node id after its file (`TestDivision::test_halves`, `test_squares[2-4]`). pytest's JUnit
classname is the node id's path made dotted (`tests.test_arithmetic`) and then its classes: they are
what follows the module's own name in it.
*/
function nodeId({name, classname = ''}: {name: string; classname?: string}, file: string): string {
	const module = posix.basename(file).replace(/\.py$/, '');
	const parts = classname.split('.');
	const at = parts.lastIndexOf(module);
	return [...(at === -1 ? [] : parts.slice(at + 1)), name].join('::');
}

/**
The file's node ids but these, listed by pytest (`--deselect` takes prefixes: it would drop `test_ab`
with `test_a`), each after the file as it is given here, not as pytest names it from its rootdir. A file
whose tests do not collect runs whole, to fail as it does; none left is `--deselect=`, which drops all.
The words are split by the shell: a node id with a space in it (a parameter's) is not found (exit 4).
*/
const allBut = (names: readonly string[]) => [
	'$({program} -p no:cacheprovider -p no:warnings --collect-only -q {file} > /tmp/baleen-pytest-ids 2>/dev/null; baleen_listed=$?',
	'if [ "$baleen_listed" -ne 0 ] && [ "$baleen_listed" -ne 5 ]; then printf \'%s\\n\' {file}; exit; fi',
	`sed -n 's/^[^:]*:://p' /tmp/baleen-pytest-ids | ${linesBut(names)} | { baleen_kept=0; while IFS= read -r baleen_id; do printf '%s::%s\\n' {file} "$baleen_id"; baleen_kept=1; done; [ "$baleen_kept" -eq 1 ] || printf '%s\\n' {file} --deselect=; })`,
].join('; ');

export const pytest: Framework = {
	name: 'pytest',
	summary: 'pytest: each test_*.py or *_test.py file, its tests from --junitxml',
	// One glob, so that a suite with only one of the two kinds is not told that the other matched nothing.
	files: {under: '.', match: ['**/{test_*.py,*_test.py}']},
	program: [{path: 'pytest'}, {path: 'py.test'}, {python: 'pytest'}],
	// Exit 5 is pytest's "no tests collected": a file the suite's run would count as none.
	// No cache: each file's container is thrown away, several would write the one .pytest_cache of a
	// shared mount at once, and on a read-only mount the cache's warning fails every file of a suite
	// whose filterwarnings is "error".
	command: '{program} -p no:cacheprovider --junitxml={results} {args} {select}; baleen_status=$?; [ "$baleen_status" -eq 5 ] && baleen_status=0; exit "$baleen_status"',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	noTests: 'a file in which pytest collects no test passes (its exit 5 is taken as 0), as it adds nothing to a run of the whole suite',
	split: {
		unit: nodeId,
		// Node ids are exact; one that is gone is pytest's usage error (exit 4), and nothing runs.
		select(selection) {
			if (takesAll(selection)) {
				return '{file}';
			}

			const names = named(selection);
			if ('except' in selection) {
				return allBut(names);
			}

			return names.length === 0 ? '{file} --deselect=' : names.map(name => `{file}${shellWord(`::${name}`)}`).join(' ');
		},
	},
};
