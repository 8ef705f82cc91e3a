import {BaleenError} from '../errors.js';
import {closest} from '../config/suggest.js';
import {cucumber} from './cucumber.js';
import type {Framework} from './framework.js';
import {go} from './go.js';
import {jest} from './jest.js';
import {mocha} from './mocha.js';
import {node} from './node.js';
import {pytest} from './pytest.js';
import {rspec} from './rspec.js';
import {vitest} from './vitest.js';

/** Every framework baleen has a preset for, by the word that names it: a new one is its module and a line here. */
export const frameworks = {
	cucumber, mocha, jest, vitest, node, pytest, rspec, go,
} as const satisfies Record<string, Framework>;

export type FrameworkName = keyof typeof frameworks;

export const frameworkNames = Object.keys(frameworks) as [FrameworkName, ...FrameworkName[]];

export const isFrameworkName = (word: string): word is FrameworkName => Object.hasOwn(frameworks, word);

/** The framework a word names, or undefined. */
export function frameworkNamed(word: string): Framework | undefined {
	return isFrameworkName(word) ? frameworks[word] : undefined;
}

/** The framework of `--framework NAME` or `framework:`; a usage error with the likeliest name when there is none. */
export function pickFramework(name: string): Framework {
	const framework = frameworkNamed(name);
	if (!framework) {
		throw new BaleenError(unknownFramework(name));
	}

	return framework;
}

/** `unknown framework "cucmber" (did you mean cucumber?); …`: what is said of a name no preset has. */
export function unknownFramework(name: string): string {
	const guess = closest(name, frameworkNames);
	return `unknown framework "${name}"${guess ? ` (did you mean ${guess}?)` : ''}; the presets are ${frameworkNames.join(', ')}`;
}
