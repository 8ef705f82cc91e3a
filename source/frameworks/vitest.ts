import type {Framework} from './framework.js';

export const vitest: Framework = {
	name: 'vitest',
	summary: 'vitest: each *.test.* or *.spec.* file, its tests from its junit reporter',
	files: {under: '.', match: ['**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs}', '!**/node_modules/**']},
	program: [{node: 'vitest'}, {path: 'vitest'}],
	// `run`: once, never watching; the default reporter keeps what a person reads.
	command: '{program} run --reporter=default --reporter=junit --outputFile.junit={results} --passWithNoTests {args} {select}',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	// No split: vitest's junit report lists the tests `-t` filtered out as skipped, as it does those skipped in
	// the file: no part's report would hold only its own tests.
	noTests: 'a file vitest does not take for a test file passes (--passWithNoTests); a test file without tests fails, as vitest fails it ("No test suite found")',
};
