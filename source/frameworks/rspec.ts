import type {Framework} from './framework.js';

export const rspec: Framework = {
	name: 'rspec',
	summary: 'rspec: each spec/**/*_spec.rb, its examples from --format json',
	files: {under: 'spec', match: ['**/*_spec.rb']},
	program: [{path: 'rspec'}],
	// Progress for people on stdout, JSON into the report.
	command: '{program} --format progress --format json --out {results} {args} {file}',
	results: {path: '/tmp/baleen-results.json', format: 'rspec-json'},
	noTests: 'a file without examples passes (rspec exits 0 with 0 examples)',
};
