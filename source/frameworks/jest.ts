import type {Framework} from './framework.js';

export const jest: Framework = {
	name: 'jest',
	summary: 'jest: each *.test.* or *.spec.* file, its tests from --json',
	files: {under: '.', match: ['**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs}', '!**/node_modules/**']},
	program: [{node: 'jest'}, {path: 'jest'}],
	// By path, not as jest's usual regular expression: `a.test.js` would match `a.test.jsx` too.
	command: '{program} --json --outputFile={results} --passWithNoTests --runTestsByPath {args} {select}',
	results: {path: '/tmp/baleen-results.json', format: 'jest-json'},
	// No split: `-t` is a case-insensitive regular expression on the full name (`new RegExp(pattern, 'i')`: two
	// names that differ in case only are one), and jest's report lists the tests it filtered out as `pending`,
	// as it does those skipped in the file: no part's report would hold only its own tests.
	noTests: 'a file jest does not take for a test file passes (--passWithNoTests, as a run of the whole suite would leave it out); a test file without tests fails, as jest fails it',
};
