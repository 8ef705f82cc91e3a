import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {countWords, leftoverReason, type Labelled, type Now} from '../../source/cleanup/leftovers.js';
import type {EngineStore} from '../../source/backends/docker/leftovers.js';
import {removeLeftovers} from '../../source/cleanup/remove.js';

const now: Now = {host: 'ci-7', isAlive: pid => pid === 100, now: Date.parse('2026-11-30T12:00:00Z')};
const container = (owner: string, deadline = '2026-11-30T13:00:00.000Z'): Labelled => ({
	kind: 'container', id: `c-${owner}`, name: 'x', labels: {'baleen.run': 'r1', 'baleen.owner': owner, 'baleen.deadline': deadline},
});

describe('what an earlier run left', () => {
	test('a container whose baleen on this host is gone', () => {
		assert.equal(leftoverReason(container('ci-7:200'), now), 'its baleen (pid 200) is gone');
	});

	test('a container whose baleen lives is not a leftover, nor one of another host before its deadline', () => {
		assert.equal(leftoverReason(container('ci-7:100'), now), undefined);
		assert.equal(leftoverReason(container('ci-8:200'), now), undefined);
	});

	test('any container past its deadline, whoever made it', () => {
		assert.equal(leftoverReason(container('ci-8:200', '2026-11-30T11:59:00.000Z'), now), 'past its deadline, 2026-11-30T11:59:00.000Z');
		assert.equal(leftoverReason(container('ci-7:100', '2026-11-30T11:59:00.000Z'), now), 'past its deadline, 2026-11-30T11:59:00.000Z');
	});

	test('a host name with colons, and labels that are missing or garbled, never count as gone', () => {
		assert.equal(leftoverReason(container('fe80::1:200'), {...now, host: 'fe80::1'}), 'its baleen (pid 200) is gone');
		assert.equal(leftoverReason({...container('x'), labels: {'baleen.run': 'r1'}}, now), undefined);
		assert.equal(leftoverReason(container('ci-7:abc', 'soon'), now), undefined);
	});

	test('an image of an earlier build once no tag points at it', () => {
		const image: Labelled = {kind: 'image', id: 'sha256:1', name: '<none>', labels: {'baleen.context': '/x'}};
		assert.equal(leftoverReason({...image, dangling: true}, now), 'built by an earlier --build, no longer tagged');
		assert.equal(leftoverReason(image, now), undefined);
	});

	test('counted in words', () => {
		assert.equal(countWords([container('a'), container('b')]), '2 containers');
		assert.equal(countWords([container('a'), {kind: 'image', id: 'i', name: '', labels: {}}]), '1 container and 1 image');
	});
});

function store(things: Labelled[]): EngineStore & {removed: string[]} {
	const removed: string[] = [];
	return {
		removed,
		async list() {
			return things;
		},
		async remove(thing) {
			removed.push(thing.id);
		},
	};
}

test('a sweep removes the leftovers, containers before images, and a dry run removes nothing', async () => {
	const things: Labelled[] = [
		{kind: 'image', id: 'old-image', name: '<none>', labels: {}, dangling: true},
		container('ci-7:200'),
		container('ci-7:100'),
	];
	const dry = store(things);
	assert.deepEqual((await removeLeftovers([dry], {dryRun: true, now})).map(({thing}) => thing.id), ['old-image', 'c-ci-7:200']);
	assert.deepEqual(dry.removed, []);
	const real = store(things);
	await removeLeftovers([real], {now});
	assert.deepEqual(real.removed, ['c-ci-7:200', 'old-image']);
});
