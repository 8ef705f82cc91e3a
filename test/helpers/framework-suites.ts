import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';

/**
The small suites of test/fixtures/frameworks/, each run by its real framework in its image, one file
at a time, as the framework's own machine-readable report tells it. EXPECTED.json in each suite's
folder is what this gave when the suites were written (test/fixtures/write-expected.ts).
*/

export type Outcome = 'passed' | 'failed' | 'skipped';
export type ReportedTest = {name: string; status: Outcome};
export type FileResult = {status: 'passed' | 'failed'; tests: ReportedTest[]};
export type Expected = {files: Record<string, FileResult>; totals: Record<Outcome, number>};

export const frameworksFolder = fileURLToPath(new URL('../fixtures/frameworks', import.meta.url));

/** Where the suites' folder is mounted in a container, and the report's folder. */
const mounted = '/frameworks';
const reportFolder = '/report';

type Framework = {
	image: string;
	/** The suite's files (go: packages), as the framework is given them from the suite's folder. */
	files: string[];
	/** The command that runs one file, in the suite's folder, its report written to `report`. */
	command(file: string, report: string): string;
	/** The tests a report holds, each with the name the report gives it. */
	read(report: string): ReportedTest[];
};

const entities: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"};
const unescape = (text: string) => text.replaceAll(/&(#x[\da-f]+|#\d+|\w+);/gi, (whole, entity: string) => (entity.startsWith('#')
	? String.fromCodePoint(Number.parseInt(entity.slice(entity[1] === 'x' ? 2 : 1), entity[1] === 'x' ? 16 : 10))
	: entities[entity] ?? whole));

/** A JUnit report's testcases, at any depth, in the document's order. */
function readJunit(report: string): ReportedTest[] {
	return [...report.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map(([, attributes, body = '']) => ({
		name: unescape(/\bname="([^"]*)"/.exec(attributes!)?.[1] ?? ''),
		status: /<(failure|error)\b/.test(body) ? 'failed' : (/<skipped\b/.test(body) ? 'skipped' : 'passed'),
	}));
}

const node = (bin: string) => `../node_modules/.bin/${bin}`;

export const frameworks: Record<string, Framework> = {
	cucumber: {
		image: 'baleen-test-node',
		files: ['features/arithmetic.feature', 'features/words.feature'],
		command: (file, report) => `${node('cucumber-js')} --format junit:${report} ${file}`,
		read: readJunit,
	},
	mocha: {
		image: 'baleen-test-node',
		files: ['test/arithmetic.spec.js', 'test/words.spec.js'],
		command: (file, report) => `${node('mocha')} --reporter xunit --reporter-option output=${report} ${file}`,
		read: readJunit,
	},
	jest: {
		image: 'baleen-test-node',
		files: ['arithmetic.test.js', 'words.test.js'],
		command: (file, report) => `${node('jest')} --json --outputFile=${report} ${file}`,
		read(report) {
			const {testResults} = JSON.parse(report) as {testResults: Array<{assertionResults: Array<{title: string; status: string}>}>};
			return testResults.flatMap(result => result.assertionResults).map(({title, status}) => ({
				name: title,
				status: status === 'passed' || status === 'failed' ? status : 'skipped',
			}));
		},
	},
	vitest: {
		image: 'baleen-test-node',
		files: ['arithmetic.test.js', 'words.test.js'],
		command: (file, report) => `${node('vitest')} run --reporter=default --reporter=junit --outputFile.junit=${report} ${file}`,
		read: readJunit,
	},
	node: {
		image: 'baleen-test-node',
		files: ['test/arithmetic.test.js', 'test/words.test.js'],
		command: (file, report) => `node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=${report} ${file}`,
		read: readJunit,
	},
	pytest: {
		image: 'baleen-test-pytest',
		files: ['tests/test_arithmetic.py', 'tests/test_words.py'],
		command: (file, report) => `pytest -p no:cacheprovider -rA --junitxml=${report} ${file}`,
		read: readJunit,
	},
	rspec: {
		image: 'baleen-test-rspec',
		files: ['spec/arithmetic_spec.rb', 'spec/words_spec.rb'],
		command: (file, report) => `rspec --format progress --format json --out ${report} ${file}`,
		read(report) {
			const {examples} = JSON.parse(report) as {examples: Array<{description: string; status: string}>};
			return examples.map(({description, status}) => ({
				name: description,
				status: status === 'passed' || status === 'failed' ? status : 'skipped',
			}));
		},
	},
	go: {
		image: 'baleen-test-go',
		files: ['./arithmetic', './words'],
		command: (file, report) => `go test -json ${file} > ${report}`,
		read(report) {
			const events = report.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as {Action: string; Test?: string});
			return events.filter(({Test, Action}) => Test !== undefined && ['pass', 'fail', 'skip'].includes(Action)).map(({Test, Action}) => ({
				name: Test!,
				status: Action === 'pass' ? 'passed' : (Action === 'fail' ? 'failed' : 'skipped'),
			}));
		},
	},
};

export type Run = {exitCode: number; output: string; tests: ReportedTest[]};

const execFileAsync = promisify(execFile);

/** Runs one file of a suite by its framework in its image; the container carries `labels` and is removed. */
export async function runFile(name: string, file: string, labels: string[] = []): Promise<Run> {
	const framework = frameworks[name]!;
	const reports = mkdtempSync(path.join(tmpdir(), `baleen-${name}-`));
	const report = `${reportFolder}/report`;
	const args = [
		'run', '--rm', ...labels.flatMap(label => ['--label', label]),
		'-v', `${frameworksFolder}:${mounted}:ro`, '-v', `${reports}:${reportFolder}`, '-w', `${mounted}/${name}`,
		framework.image, 'sh', '-c', framework.command(file, report),
	];
	try {
		const {exitCode, output} = await execFileAsync('docker', args, {encoding: 'utf8', timeout: 120_000}).then(
			({stdout, stderr}) => ({exitCode: 0, output: stdout + stderr}),
			(error: {code?: number; stdout?: string; stderr?: string}) => ({exitCode: typeof error.code === 'number' ? error.code : -1, output: `${error.stdout ?? ''}${error.stderr ?? ''}`}),
		);
		let text: string;
		try {
			text = readFileSync(path.join(reports, 'report'), 'utf8');
		} catch {
			throw new Error(`${name} wrote no report for ${file} (exit ${exitCode}); its output:\n${output}`);
		}

		return {exitCode, output, tests: framework.read(text)};
	} finally {
		rmSync(reports, {recursive: true, force: true});
	}
}

/** What EXPECTED.json holds for these results of each file. */
export function expectedOf(results: Record<string, FileResult>): Expected {
	const totals: Record<Outcome, number> = {passed: 0, failed: 0, skipped: 0};
	for (const {tests} of Object.values(results)) {
		for (const {status} of tests) {
			totals[status]++;
		}
	}

	return {files: results, totals};
}

/** EXPECTED.json's text: a test a line, to be read and diffed. */
export function expectedText({files, totals}: Expected): string {
	const file = ([name, {status, tests}]: [string, FileResult]) => [
		`\t\t${JSON.stringify(name)}: {"status": ${JSON.stringify(status)}, "tests": [`,
		tests.map(test => `\t\t\t${JSON.stringify(test).replace('","status":', '", "status": ').replace('{"name":', '{"name": ')}`).join(',\n'),
		'\t\t]}',
	].join('\n');
	return `{\n\t"files": {\n${Object.entries(files).map(file).join(',\n')}\n\t},\n\t"totals": ${JSON.stringify(totals).replaceAll(/([:,])/g, '$1 ')}\n}\n`;
}

export const fileResult = ({exitCode, tests}: Run): FileResult => ({status: exitCode === 0 ? 'passed' : 'failed', tests});

export const expectedPath = (name: string) => path.join(frameworksFolder, name, 'EXPECTED.json');
export const readExpected = (name: string) => JSON.parse(readFileSync(expectedPath(name), 'utf8')) as Expected;
