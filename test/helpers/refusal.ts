import assert from 'node:assert/strict';
import {BaleenError} from '../../source/errors.js';

/** The one-line message baleen refuses with, as a user would read it; anything else fails the test. */
export function refusal(check: () => unknown): string {
	try {
		check();
	} catch (error) {
		assert.ok(error instanceof BaleenError, `a BaleenError, not ${String(error)}`);
		return error.message;
	}

	assert.fail('expected a refusal');
}
