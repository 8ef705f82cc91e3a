import {shellWord} from '../shell-word.js';
import {anyOf, named, takesAll} from './filters.js';
import type {Framework} from './framework.js';

export const mocha: Framework = {
	name: 'mocha',
	summary: 'mocha: each file of test/, its tests from its xunit reporter',
	// Mocha's own default is ./test/*.{js,cjs,mjs}; below test/ too, as most suites nest.
	files: {under: 'test', match: ['**/*.{js,mjs,cjs}']},
	program: [{node: 'mocha'}, {path: 'mocha'}],
	// The xunit reporter writes to the file alone: the test's own output still shows, mocha's list does not.
	command: '{program} --reporter xunit --reporter-option output={results} {args} {select}',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	noTests: 'a file without tests passes (mocha exits 0 with 0 passing)',
	split: {
		// `--grep` matches a test's full title: its describes and its own title, space-joined. xunit writes the
		// describes as the classname, and none (an empty one) for a test outside any describe.
		unit: ({name, classname}) => (classname ? `${classname} ${name}` : name),
		select: selection => (takesAll(selection)
			? '{file}'
			: `--grep ${shellWord(`^${anyOf(named(selection))}$`)}${'except' in selection ? ' --invert' : ''} {file}`),
	},
};
