import type {Framework} from './framework.js';

export const mocha: Framework = {
	name: 'mocha',
	summary: 'mocha: each file of test/, its tests from its xunit reporter',
	// Mocha's own default is ./test/*.{js,cjs,mjs}; below test/ too, as most suites nest.
	files: {under: 'test', match: ['**/*.{js,mjs,cjs}']},
	program: [{node: 'mocha'}, {path: 'mocha'}],
	// The xunit reporter writes to the file alone: the test's own output still shows, mocha's list does not.
	command: '{program} --reporter xunit --reporter-option output={results} {args} {file}',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	noTests: 'a file without tests passes (mocha exits 0 with 0 passing)',
};
