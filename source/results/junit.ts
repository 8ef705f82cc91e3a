import {XMLParser, XMLValidator} from 'fast-xml-parser';
import type {TestCase} from '../events.js';
import type {ResultsReader} from './reader.js';

/** How much of a failure's message and body a testcase keeps: its start and its end, where the assertion and the stack are. */
const messageChars = 1024;
const detailsChars = 4096;

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	textNodeName: '#text',
	parseTagValue: false,
	parseAttributeValue: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	trimValues: true,
	// Character references too (`&#xA;`, `&#10;`): cucumber writes a failure's message with its line breaks so.
	htmlEntities: true,
	isArray: name => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

type Node = Record<string, unknown>;

const bounded = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit / 2)}\n[…]\n${text.slice(-limit / 2)}` : text);

function text(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}

	if (value && typeof value === 'object') {
		const inner = (value as Node)['#text'];
		return typeof inner === 'string' ? inner : '';
	}

	return '';
}

function attribute(node: Node, name: string): string | undefined {
	const value = node[`@${name}`];
	return typeof value === 'string' ? value : undefined;
}

/** A failure, error or skip element: its message attribute and its body. */
function outcome(elements: unknown): {message?: string; details?: string} {
	const first = (Array.isArray(elements) ? elements[0] : elements) as unknown;
	const node = first && typeof first === 'object' ? first as Node : {};
	const message = attribute(node, 'message');
	const details = text(first).trim();
	return {...(message && {message: bounded(message, messageChars)}), ...(details && {details: bounded(details, detailsChars)})};
}

function testcase(node: Node): TestCase {
	const name = attribute(node, 'name') ?? '(no name)';
	const classname = attribute(node, 'classname');
	const seconds = Number(attribute(node, 'time'));
	const base = {name, ...(classname && {classname}), ...(Number.isFinite(seconds) && {timeMs: Math.round(seconds * 1000)})};
	if (node.failure !== undefined) {
		return {...base, status: 'failed', ...outcome(node.failure)};
	}

	if (node.error !== undefined) {
		return {...base, status: 'error', ...outcome(node.error)};
	}

	if (node.skipped !== undefined) {
		return {...base, status: 'skipped', ...outcome(node.skipped)};
	}

	return {...base, status: 'passed'};
}

/** Every testcase of a suite and of the suites it holds, in document order by level. */
function testcases(node: Node): TestCase[] {
	const own = (node.testcase as Node[] | undefined) ?? [];
	const suites = (node.testsuite as Node[] | undefined) ?? [];
	return [...own.map(child => testcase(child)), ...suites.flatMap(suite => testcases(suite))];
}

/**
A JUnit report as test frameworks write it (node's junit reporter, mocha-junit-reporter, pytest's
`--junitxml`, cucumber's junit formatter, surefire): `<testsuites>` or a lone `<testsuite>`, suites
nested at any depth, each `<testcase>` passed, or with a `<failure>`, an `<error>` or a `<skipped>`.
*/
function read(xml: string, file: string): TestCase[] | {problem: string} {
	const valid = XMLValidator.validate(xml);
	if (valid !== true) {
		return {problem: `${file} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg.replaceAll(/\s+/g, ' ')})`};
	}

	const document = parser.parse(xml) as Node;
	const root = (document.testsuites ?? document.testsuite) as Node | Node[] | undefined;
	if (root === undefined) {
		return {problem: `${file} is not a JUnit report: it has no <testsuites> or <testsuite>`};
	}

	// An empty `<testsuites/>` parses as a string.
	const roots = (Array.isArray(root) ? root : [root]).filter((node): node is Node => typeof node === 'object');
	return roots.flatMap(node => (document.testsuites === undefined ? testcases({testsuite: [node]}) : testcases(node)));
}

export const junitReader: ResultsReader = {from: 'file', keptAs: 'results.xml', read};
