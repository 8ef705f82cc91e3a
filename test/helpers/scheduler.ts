import assert from 'node:assert/strict';
import {TestScheduler} from 'rxjs/testing';

/** Virtual time for marble tests, its frames compared with node's assert. */
export function testScheduler(): TestScheduler {
	return new TestScheduler((actual, expected) => {
		assert.deepEqual(actual, expected);
	});
}
