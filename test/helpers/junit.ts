import {readFileSync} from 'node:fs';
import {DOMParser, type Element} from '@xmldom/xmldom';

/** A JUnit report as a strict, independent XML parser reads it: any error in it fails the test. */
export function readJunit(file: string) {
	const document = new DOMParser({onError(level, message) {
		if (level !== 'warning') {
			throw new Error(`${level}: ${message}`);
		}
	}}).parseFromString(readFileSync(file, 'utf8'), 'text/xml');
	const suite = document.getElementsByTagName('testsuite')[0]!;
	const cases = ([...document.getElementsByTagName('testcase')] as Element[]).map(element => ({
		element,
		file: element.getAttribute('file')!,
		name: element.getAttribute('name')!,
		time: Number(element.getAttribute('time')),
		outcome: ['failure', 'error', 'skipped'].find(tag => element.getElementsByTagName(tag).length > 0) ?? 'passed',
		output: element.getElementsByTagName('system-out')[0]?.textContent ?? '',
	}));
	return {suite, cases};
}
