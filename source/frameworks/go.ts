import {posix} from 'node:path';
import {shellWord} from '../shell-word.js';
import {anyOf, linesBut, named, takesAll} from './filters.js';
import type {Framework} from './framework.js';

/** Go tests a package, not a file: each folder holding a `*_test.go`, once. */
function packages(files: readonly string[]): string[] {
	return [...new Set(files.map(file => posix.dirname(file)))].sort((a, b) => (a < b ? -1 : (a > b ? 1 : 0)));
}

/**
`-run` with the package's top-level tests but these: Debian's go 1.19 has no `-skip`, so the package lists
them first (`-list`, with the arguments after `--`, whose build tags decide which tests there are).
None left is `^(?:)$`, which runs none.
*/
const allBut = (names: readonly string[]) => `-run '^(?:'"$({program} test {args} -list . ./{file} 2>/dev/null | grep -E '^(Test|Example|Fuzz)' | ${linesBut(names)} | paste -sd '|' -)"')$'`;

export const go: Framework = {
	name: 'go',
	summary: 'go test: each package (a folder with *_test.go files), its tests from test2json',
	files: {under: '.', match: ['**/*_test.go', '!**/vendor/**', '!**/testdata/**']},
	program: [{path: 'go'}],
	// `go test -v` as people read it, on stdout and into a file that test2json (what `go test -json`
	// uses) turns into the report; the exit status is go's, kept across the pipe, which sh would lose.
	command: '{ {program} test -v {args} {select} 2>&1; echo "$?" > /tmp/baleen-go-status; } | tee /tmp/baleen-go-output; {program} tool test2json -p {file} < /tmp/baleen-go-output > {results}; exit "$(cat /tmp/baleen-go-status)"',
	results: {path: '/tmp/baleen-results.json', format: 'go-json'},
	noTests: 'only folders holding *_test.go run; a package whose tests -run leaves out passes (go test exits 0)',
	units: packages,
	split: {
		// `-run` at the top level is exact (go's names are identifiers), and a subtest runs with its parent.
		unit: ({name}) => name.split('/')[0]!,
		select(selection) {
			if (takesAll(selection)) {
				return './{file}';
			}

			return `${'only' in selection ? `-run ${shellWord(`^${anyOf(named(selection))}$`)}` : allBut(named(selection))} ./{file}`;
		},
	},
};
