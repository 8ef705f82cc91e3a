import type {Framework} from './framework.js';

export const jest: Framework = {
	name: 'jest',
	summary: 'jest: each *.test.* or *.spec.* file, its tests from --json',
	files: {under: '.', match: ['**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs}', '!**/node_modules/**']},
	program: [{node: 'jest'}, {path: 'jest'}],
	// By path, not as jest's usual regular expression: `a.test.js` would match `a.test.jsx` too.
	command: '{program} --json --outputFile={results} --passWithNoTests --runTestsByPath {args} {file}',
	results: {path: '/tmp/baleen-results.json', format: 'jest-json'},
	noTests: 'a file jest does not take for a test file passes (--passWithNoTests, as a run of the whole suite would leave it out); a test file without tests fails, as jest fails it',
};
