import type {Framework} from './framework.js';

export const cucumber: Framework = {
	name: 'cucumber',
	summary: 'cucumber-js: each feature file, its scenarios from its JUnit formatter',
	files: {under: 'features', match: ['**/*.feature']},
	program: [{node: 'cucumber-js'}, {path: 'cucumber-js'}],
	// Added to the formats of the project's own profile (cucumber.json), which keep what they print.
	command: '{program} --format junit:{results} {args} {file}',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	noTests: 'a feature file without scenarios passes (cucumber-js exits 0)',
};
