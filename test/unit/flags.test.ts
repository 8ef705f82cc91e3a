import assert from 'node:assert/strict';
import {test} from 'node:test';
import {unknownFlags} from '../../source/options/argv.js';

const known = {image: {type: 'string', shortFlag: 'i'}, listProjects: {type: 'boolean'}};

test('known flags, their kebab spelling, short flags, help and version are not unknown', () => {
	assert.deepEqual(unknownFlags({image: 'x', i: 'x', listProjects: true, 'list-projects': true, help: true, version: true}, known), []);
});

test('unknown flags are reported once each, as typed', () => {
	assert.deepEqual(unknownFlags({bogus: true, 'frobnicate-me': 1, frobnicateMe: 1, z: true}, known), ['--bogus', '--frobnicate-me', '-z']);
});
