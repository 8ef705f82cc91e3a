import {XMLParser, XMLValidator} from 'fast-xml-parser';
import type {TestCase} from '../events.js';
import type {ResultsReader} from './reader.js';
import {firstLine, milliseconds, told} from './told.js';

/** An XML element with what the readers look at: its attributes, its child elements in document order, its text. */
type Element = {tag: string; attributes: Record<string, string>; children: Element[]; text: string};

const parser = new XMLParser({
	// Document order: node's reporter writes a file's top-level tests beside the suites of its describes.
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	trimValues: false,
	// Character references too (`&#xA;`, `&#10;`): cucumber writes a failure's message with its line breaks so.
	htmlEntities: true,
});

/** fast-xml-parser's ordered nodes: `{tag: children, ':@': attributes}` or `{'#text': text}`. */
type OrderedNode = Record<string, unknown>;

function elements(nodes: unknown): Element[] {
	return (Array.isArray(nodes) ? nodes as OrderedNode[] : []).flatMap(node => {
		const tag = Object.keys(node).find(key => key !== ':@' && key !== '#text');
		if (tag === undefined) {
			return [];
		}

		const attributes = (node[':@'] ?? {}) as Record<string, string>;
		const inner = Array.isArray(node[tag]) ? node[tag] as OrderedNode[] : [];
		const text = inner.map(child => (typeof child['#text'] === 'string' ? child['#text'] : '')).join('');
		return [{tag, attributes, children: elements(inner), text}];
	});
}

const isOutcome = (element: Element) => element.tag === 'failure' || element.tag === 'error';

/** What a framework printed while the test ran, as some put it in the testcase (vitest, pytest's junit_logging, cucumber's steps). */
const printed = (testcase: Element) => testcase.children.filter(child => child.tag === 'system-out' || child.tag === 'system-err').map(child => child.text.trim());

/**
A testcase's failure and error elements, in order: the first decides the status and the message. A
`<failure>` without a message attribute (mocha's xunit) has it as the first line of its body.
*/
function failed(outcomes: readonly Element[], testcase: Element): Pick<TestCase, 'status' | 'message' | 'details'> {
	const [first, ...later] = outcomes;
	const details = [first!.text, ...later.map(outcome => [outcome.attributes.message, outcome.text].filter(Boolean).join('\n')), ...printed(testcase)];
	return {
		status: first!.tag === 'failure' ? 'failed' : 'error',
		...told(first!.attributes.message || firstLine(first!.text), details.map(part => part.trim()).filter(Boolean).join('\n\n')),
	};
}

/**
node's reporter gives every testcase the classname `test`: its describes are the suites that hold it,
as they are of a testcase without a classname. (An empty one, mocha's for a test outside any describe, stays empty.)
*/
const nodeClassname = 'test';

function testcase(element: Element, suites: readonly string[]): TestCase {
	const {attributes} = element;
	const classname = attributes.classname === nodeClassname ? suites.join(' › ') : attributes.classname ?? suites.join(' › ');
	const timeMs = milliseconds(attributes.time);
	const base = {name: attributes.name ?? '(no name)', ...(classname && {classname}), ...(timeMs !== undefined && {timeMs})};
	const outcomes = element.children.filter(child => isOutcome(child));
	if (outcomes.length > 0) {
		return {...base, ...failed(outcomes, element)};
	}

	const skipped = element.children.find(child => child.tag === 'skipped');
	if (skipped) {
		// node writes `message="true"` for a skip that gives no reason.
		const {message} = skipped.attributes;
		return {...base, status: 'skipped', ...told(message === 'true' ? undefined : message, skipped.text)};
	}

	return {...base, status: 'passed'};
}

/**
pytest writes a test that failed and then errored in its teardown as two testcases of one name, the
second with only the `<error>`: one test, whose outcomes are both.
*/
function foldTeardowns(held: readonly Element[]): Element[] {
	const folded: Element[] = [];
	for (const element of held) {
		const previous = folded.at(-1);
		const isTeardown = previous?.tag === 'testcase' && element.tag === 'testcase'
			&& previous.attributes.name === element.attributes.name && previous.attributes.classname === element.attributes.classname
			&& element.children.some(child => child.tag === 'error');
		if (isTeardown) {
			const ms = (milliseconds(previous.attributes.time) ?? 0) + (milliseconds(element.attributes.time) ?? 0);
			folded[folded.length - 1] = {...previous, attributes: {...previous.attributes, time: String(ms / 1000)}, children: [...previous.children, ...element.children]};
		} else {
			folded.push(element);
		}
	}

	return folded;
}

/** Every testcase a suite holds, at any depth, in document order; `suites` are the names of the suites around it. */
function testcases(suite: Element, suites: readonly string[]): TestCase[] {
	const held = suite.children.filter(child => child.tag === 'testcase' || child.tag === 'testsuite');
	return foldTeardowns(held).flatMap(child => (child.tag === 'testsuite'
		? testcases(child, child.attributes.name ? [...suites, child.attributes.name] : suites)
		: [testcase(child, suites)]));
}

/**
A JUnit report as test frameworks write it (node's junit reporter, mocha's xunit, vitest's junit,
pytest's `--junitxml`, cucumber's junit formatter, surefire): `<testsuites>` or a lone `<testsuite>`,
suites nested at any depth, each `<testcase>` passed, or with a `<failure>`, an `<error>` or a `<skipped>`.
*/
function read(xml: string, file: string): TestCase[] | {problem: string} {
	const valid = XMLValidator.validate(xml);
	if (valid !== true) {
		return {problem: `${file} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg.replaceAll(/\s+/g, ' ')})`};
	}

	const root = elements(parser.parse(xml)).find(element => element.tag === 'testsuites' || element.tag === 'testsuite');
	if (root === undefined) {
		return {problem: `${file} is not a JUnit report: it has no <testsuites> or <testsuite>`};
	}

	return root.tag === 'testsuites' ? testcases(root, []) : testcases({...root, tag: 'testsuites', children: [root]}, []);
}

export const junitReader: ResultsReader = {from: 'file', keptAs: 'results.xml', read};
