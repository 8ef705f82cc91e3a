import {shellWord} from '../shell-word.js';
import type {Selection} from './framework.js';

/** A name as a regular expression that matches it and nothing else, alike in JavaScript, Ruby and Go (RE2): its metacharacters escaped. */
const literal = (name: string) => name.replaceAll(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** The names as one group of literal alternatives, `(?:a|b \(c\))`; of no name, a group that matches only the empty name. */
export const anyOf = (names: readonly string[]) => `(?:${[...new Set(names)].map(name => literal(name)).join('|')})`;

/** The names a selection gives, each once. */
export const named = (selection: Selection): string[] => [...new Set('only' in selection ? selection.only : selection.except)];

/** Whether the selection takes every test of the file: all but none of them. */
export const takesAll = (selection: Selection | undefined): selection is undefined | {except: readonly []} => selection === undefined || ('except' in selection && selection.except.length === 0);

/** `grep -vxF` of the names, as template text: the lines that are none of them (fixed strings, whole lines). */
export const linesBut = (names: readonly string[]) => `grep -vxF ${names.map(name => `-e ${shellWord(name)}`).join(' ')}`;
