import {randomUUID} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import Docker from 'dockerode';
import type {RunEvent, TestEnd} from '../../source/events.js';

export const repository = fileURLToPath(new URL('../..', import.meta.url));
export const docker = new Docker();

/** A tag for an image a test builds: its own, so the test removes only that. */
export function testTag(kind: string): string {
	return `baleen-test-${kind}-${randomUUID().slice(0, 8)}:latest`;
}

/** Each file's status and exit code, by file. */
/**
The demo's files (example/) and how each ends, as `results` tells them: delivery fails on purpose (it
is charged at exactly 50.00); gift-order and first-order would collide on the order sequence in one
process, in containers of their own both pass.
*/
export const demoResults = {
	'features/cart/adding.feature': 'passed 0',
	'features/cart/removing.feature': 'passed 0',
	'features/catalogue/search.feature': 'passed 0',
	'features/checkout/payment.feature': 'passed 0',
	'features/delivery.feature': 'failed 1',
	'features/discounts.feature': 'passed 0',
	'features/gifts/gift-order.feature': 'passed 0',
	'features/orders/first-order.feature': 'passed 0',
};

export function results(events: RunEvent[]): Record<string, string> {
	const ends = events.filter((event): event is TestEnd => event.type === 'test-end');
	return Object.fromEntries(ends.map(end => [end.file, `${end.status} ${end.exitCode}`]));
}

/** Removes an image this test built, by its own tag; one that was never made is fine. */
export async function removeImage(tag: string): Promise<void> {
	await docker.getImage(tag).remove({force: true}).catch((error: {statusCode?: number}) => {
		if (error.statusCode !== 404) {
			throw error;
		}
	});
}

export async function imageLabels(tag: string): Promise<Record<string, string> | undefined> {
	try {
		const {Config} = await docker.getImage(tag).inspect();
		return Config.Labels ?? {};
	} catch {
		return undefined;
	}
}
