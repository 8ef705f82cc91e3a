import type {TestCase} from '../events.js';

/** How much of a failure's message and body a test keeps: its start and its end, where the assertion and the stack are. */
const messageChars = 1024;
const detailsChars = 4096;

const bounded = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit / 2)}\n[…]\n${text.slice(-limit / 2)}` : text);

/** What a report tells of a test's failure, error or skip, each part bounded; a part that holds nothing is left out. */
export function told(message: string | undefined, details: string | undefined): Pick<TestCase, 'message' | 'details'> {
	const shownMessage = message?.trim();
	const shownDetails = details?.trim();
	return {
		...(shownMessage && {message: bounded(shownMessage, messageChars)}),
		...(shownDetails && {details: bounded(shownDetails, detailsChars)}),
	};
}

/** The first line of `text` that holds something, trimmed. */
export function firstLine(text: string): string | undefined {
	return text.split('\n').map(line => line.trim()).find(Boolean);
}

/** Seconds as a report gives them (a number, or its text) in whole milliseconds; undefined when they are not a number. */
export function milliseconds(seconds: unknown): number | undefined {
	const number = typeof seconds === 'string' && seconds.trim() !== '' ? Number(seconds) : seconds;
	return typeof number === 'number' && Number.isFinite(number) ? Math.round(number * 1000) : undefined;
}
