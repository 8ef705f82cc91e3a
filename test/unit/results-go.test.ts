import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {TestCase} from '../../source/events.js';
import {resultsReader} from '../../source/results/registry.js';
import {named, outline, readReport, reportText} from '../helpers/reports.js';

const go = resultsReader('go-json');

describe('the go-json reader on what go test -json writes', () => {
	test('each test and subtest is a test of its own, with its package as the classname; a failed test\'s output is its details', () => {
		const tests = readReport('go-json', 'go/math.jsonl');
		assert.deepEqual(outline(tests).map(line => line.replace('example.com/suite/math › ', '')), [
			'passed TestAdds',
			'failed TestSubtractsWrongly',
			'skipped TestDividesByZero',
			'passed TestPrintsOutput',
			'failed TestNested',
			'passed TestNested/adds_(1+1)_[twice]?',
			'failed TestNested/deeper',
			'failed TestNested/deeper/fails',
			'skipped TestNested/deeper/skips',
		]);
		assert.ok(tests.every(test => test.classname === 'example.com/suite/math' && test.timeMs === 0));
		const failure = named(tests, 'TestSubtractsWrongly');
		// What t.Log said before is in the details; t.Errorf's line, the last, is the message; go's framing (=== RUN, --- FAIL) is left out.
		assert.equal(failure.message, 'math_test.go:17: 3-1 = 2, want 1');
		assert.equal(failure.details, 'math_test.go:15: subtracting 1 from 3\n    math_test.go:17: 3-1 = 2, want 1');
		assert.equal(named(tests, 'TestDividesByZero').message, 'math_test.go:22: division is not ready');
		assert.equal(named(tests, 'TestNested/deeper/fails').message, 'math_test.go:37: not a number');
	});

	test('go test -v turned into the stream by go tool test2json reads as go test -json does, a build failure with the compiler\'s words', () => {
		const strip = ({timeMs: _, ...test}: TestCase) => test;
		assert.deepEqual(readReport('go-json', 'go/math-test2json.jsonl').map(test => strip(test)), readReport('go-json', 'go/math.jsonl').map(test => strip(test)));
		assert.deepEqual(outline(readReport('go-json', 'go/broken-test2json.jsonl')), ['error example.com/suite/broken']);
		assert.equal(readReport('go-json', 'go/broken-test2json.jsonl')[0]!.message, 'broken/broken_test.go:6:6: unused declared but not used');
	});

	test('a test that panics fails with the panic as its message; the tests after it, never run, are not made up', () => {
		const tests = readReport('go-json', 'go/panics.jsonl');
		assert.deepEqual(outline(tests), ['passed example.com/suite/panics › TestBefore', 'failed example.com/suite/panics › TestPanics']);
		assert.equal(tests[1]!.message, 'panic: assignment to entry in nil map [recovered]');
		assert.match(tests[1]!.details!, /panics_test\.go:9 \+0x2e/);
	});

	test('a test that go\'s -timeout stopped has no result of its own: an error, with the timeout\'s panic', () => {
		const tests = readReport('go-json', 'go/hangs.jsonl');
		assert.deepEqual(outline(tests), ['passed example.com/suite/hangs › TestQuick', 'error example.com/suite/hangs › TestHangs']);
		assert.equal(tests[1]!.message, 'no result: the test did not finish (panic: test timed out after 1s)');
		assert.match(tests[1]!.details!, /^panic: test timed out after 1s\n[^]*hangs_test\.go:11 /);
	});

	test('a package that does not build is one test in error named by the package, with the compiler\'s words when the stream has them', () => {
		// go 1.19 writes no event for it: on stdout only its FAIL line.
		assert.deepEqual(readReport('go-json', 'go/broken.jsonl'), [{
			name: 'example.com/suite/broken', status: 'error', message: 'FAIL example.com/suite/broken [build failed]', details: 'FAIL\texample.com/suite/broken [build failed]',
		}]);
		const [withStderr, ...more] = readReport('go-json', 'go/broken-2-1.jsonl');
		assert.equal(more.length, 0);
		assert.equal(withStderr!.status, 'error');
		assert.equal(withStderr!.message, 'broken/broken_test.go:6:6: unused declared but not used');
	});

	test('newer go\'s build events (1.24): the compiler\'s words of the build a package\'s fail names are that package\'s', () => {
		// No newer go is reachable here: these lines have the shape go's own test of them checks
		// (cmd/go/testdata/script/test_json_build.txt), a failure in an imported package's build.
		const stream = [
			{ImportPath: 'm/shop/money', Action: 'build-output', Output: '# m/shop/money\n'},
			{ImportPath: 'm/shop/money', Action: 'build-output', Output: 'money/cents.go:3:11: undefined: y\n'},
			{ImportPath: 'm/shop/money', Action: 'build-fail'},
			{Action: 'start', Package: 'm/shop'},
			{Action: 'output', Package: 'm/shop', Output: 'FAIL\tm/shop [build failed]\n'},
			{Action: 'fail', Package: 'm/shop', Elapsed: 0, FailedBuild: 'm/shop/money'},
			{Action: 'start', Package: 'm/stock'},
			{Action: 'run', Package: 'm/stock', Test: 'TestCount'},
			{Action: 'pass', Package: 'm/stock', Test: 'TestCount', Elapsed: 0.01},
			{Action: 'pass', Package: 'm/stock', Elapsed: 0.02},
		].map(event => JSON.stringify(event)).join('\n');
		assert.deepEqual(go.read(stream, 'r.jsonl'), [
			{name: 'TestCount', classname: 'm/stock', timeMs: 10, status: 'passed'},
			{name: 'm/shop', status: 'error', message: 'money/cents.go:3:11: undefined: y', details: '# m/shop/money\nmoney/cents.go:3:11: undefined: y\nFAIL\tm/shop [build failed]'},
		]);
	});

	test('a package that panics outside any test (its TestMain) is one test in error with the panic', () => {
		const tests = readReport('go-json', 'go/setup.jsonl');
		assert.deepEqual(outline(tests), ['error example.com/suite/setup']);
		assert.equal(tests[0]!.message, 'panic: DATABASE is not set');
		assert.match(tests[0]!.details!, /setup_test\.go:10 \+0x5b/);
	});

	test('a stream cut short (a killed go test) keeps the tests it finished; the one running has no result', () => {
		const whole = reportText('go/math.jsonl');
		// Cut in the middle of the line of TestNested/deeper/fails' own line of output.
		const cut = whole.slice(0, whole.indexOf('math_test.go:37') + 5);
		const tests = go.read(cut, 'cut.jsonl');
		assert.ok(!('problem' in tests));
		assert.deepEqual(outline(tests).map(line => line.replace('example.com/suite/math › ', '')), [
			'passed TestAdds',
			'failed TestSubtractsWrongly',
			'skipped TestDividesByZero',
			'passed TestPrintsOutput',
			'error TestNested',
			'error TestNested/adds_(1+1)_[twice]?',
			'error TestNested/deeper',
			'error TestNested/deeper/fails',
		]);
		assert.equal(named(tests, 'TestNested/deeper/fails').message, 'no result: the test did not finish');
	});
});
