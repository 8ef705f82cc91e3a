import type {Framework} from './framework.js';

export const node: Framework = {
	name: 'node',
	summary: 'node\'s test runner (node --test): each *.test.* file, its tests from its junit reporter',
	// Node's own defaults are wider (any file in a test/ folder, *-test.*, *_test.*): name them as patterns.
	files: {under: '.', match: ['**/*.test.{js,mjs,cjs}', '!**/node_modules/**']},
	program: [{path: 'node'}],
	// Two reporters: spec for people on stdout, junit into the report.
	command: '{program} --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination={results} {args} {select}',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	// No split: node 20's `--test-name-pattern` matches a test's own name (not its describes': two tests of
	// one name in two describes are one) and a describe's, which runs all its tests; and its junit report
	// lists the tests it filtered out as skipped ("test name does not match pattern").
	noTests: 'a file without tests passes (node --test exits 0)',
};
