import type {Framework} from './framework.js';

export const pytest: Framework = {
	name: 'pytest',
	summary: 'pytest: each test_*.py or *_test.py file, its tests from --junitxml',
	// One glob, so that a suite with only one of the two kinds is not told that the other matched nothing.
	files: {under: '.', match: ['**/{test_*.py,*_test.py}']},
	program: [{path: 'pytest'}, {path: 'py.test'}, {python: 'pytest'}],
	// Exit 5 is pytest's "no tests collected": a file the suite's run would count as none.
	// No cache: each file's container is thrown away, several would write the one .pytest_cache of a
	// shared mount at once, and on a read-only mount the cache's warning fails every file of a suite
	// whose filterwarnings is "error".
	command: '{program} -p no:cacheprovider --junitxml={results} {args} {file}; baleen_status=$?; [ "$baleen_status" -eq 5 ] && baleen_status=0; exit "$baleen_status"',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	noTests: 'a file in which pytest collects no test passes (its exit 5 is taken as 0), as it adds nothing to a run of the whole suite',
};
