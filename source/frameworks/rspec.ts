import {posix} from 'node:path';
import {shellWord} from '../shell-word.js';
import {anyOf, named, takesAll} from './filters.js';
import type {Framework} from './framework.js';

const withoutDot = (file: string) => posix.normalize(file).replace(/^\.\//, '');

export const rspec: Framework = {
	name: 'rspec',
	summary: 'rspec: each spec/**/*_spec.rb, its examples from --format json',
	files: {under: 'spec', match: ['**/*_spec.rb']},
	program: [{path: 'rspec'}],
	// Progress for people on stdout, JSON into the report.
	command: '{program} --format progress --format json --out {results} {args} {select}',
	results: {path: '/tmp/baleen-results.json', format: 'rspec-json'},
	noTests: 'a file without examples passes (rspec exits 0 with 0 examples)',
	split: {
		// The full description, as `-E` (`--example-matches`) matches it: the reader's classname is its
		// describes and contexts, or the file when the example has none of its own.
		unit: ({name, classname}, file) => (classname && withoutDot(classname) !== withoutDot(file) ? `${classname} ${name}` : name),
		// `-e` matches substrings; `-E` is a Ruby regular expression, whose `^` and `$` are a line's: `\A`, `\z`.
		select(selection) {
			if (takesAll(selection)) {
				return '{file}';
			}

			const names = anyOf(named(selection));
			return `-E ${shellWord('only' in selection ? `\\A${names}\\z` : `\\A(?!${names}\\z)`)} {file}`;
		},
	},
};
