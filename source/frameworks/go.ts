import {posix} from 'node:path';
import type {Framework} from './framework.js';

/** Go tests a package, not a file: each folder holding a `*_test.go`, once. */
function packages(files: readonly string[]): string[] {
	return [...new Set(files.map(file => posix.dirname(file)))].sort((a, b) => (a < b ? -1 : (a > b ? 1 : 0)));
}

export const go: Framework = {
	name: 'go',
	summary: 'go test: each package (a folder with *_test.go files), its tests from test2json',
	files: {under: '.', match: ['**/*_test.go', '!**/vendor/**', '!**/testdata/**']},
	program: [{path: 'go'}],
	// `go test -v` as people read it, on stdout and into a file that test2json (what `go test -json`
	// uses) turns into the report; the exit status is go's, kept across the pipe, which sh would lose.
	command: '{ {program} test -v {args} ./{file} 2>&1; echo "$?" > /tmp/baleen-go-status; } | tee /tmp/baleen-go-output; {program} tool test2json -p {file} < /tmp/baleen-go-output > {results}; exit "$(cat /tmp/baleen-go-status)"',
	results: {path: '/tmp/baleen-results.json', format: 'go-json'},
	noTests: 'only folders holding *_test.go run; a package whose tests -run leaves out passes (go test exits 0)',
	units: packages,
};
