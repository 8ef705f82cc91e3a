import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {BaleenError} from '../errors.js';
import {schemaVersion, type RunEvent, type RunStart} from '../events.js';
import {fileFolder} from '../run/file-logs.js';
import type {Source} from './merge.js';

/** The events file a run's `--output-dir` holds. */
export const eventsFile = 'events.jsonl';

function parsed(text: string, shown: string): unknown[] {
	const lines = text.split('\n');
	// A file written whole ends with a newline: the last line without one was being written when the run died.
	const unended = lines.at(-1) !== '';
	return lines.flatMap((line, index) => {
		if (line.trim() === '') {
			return [];
		}

		try {
			return [JSON.parse(line) as unknown];
		} catch {
			if (unended && index === lines.length - 1) {
				throw new BaleenError(`${shown} is cut short: its last line ends mid-event (was the run killed?)`);
			}

			throw new BaleenError(`${shown}: line ${index + 1} is not JSON, so this is not a baleen run's events`);
		}
	});
}

function checked(values: unknown[], shown: string): RunEvent[] {
	for (const value of values) {
		const {schema, type} = (value ?? {}) as {schema?: unknown; type?: unknown};
		if (typeof type !== 'string' || typeof schema !== 'number') {
			throw new BaleenError(`${shown} holds a line that is not a baleen event (no schema and type), so this is not a baleen run's events`);
		}

		if (schema !== schemaVersion) {
			throw new BaleenError(`${shown} holds schema ${schema} events (${schema < schemaVersion ? 'an older' : 'a newer'} baleen's); this one reads schema ${schemaVersion}: run the suite again with it`);
		}
	}

	const events = values as RunEvent[];
	const start = events.find((event): event is RunStart => event.type === 'run-start');
	if (!start) {
		throw new BaleenError(`${shown} holds no run-start: it is not the events of a run`);
	}

	if (events.filter(event => event.type === 'run-start').length > 1) {
		throw new BaleenError(`${shown} holds more than one run: give each run's events on its own`);
	}

	if (!events.some(event => event.type === 'run-end')) {
		const ended = events.filter(event => event.type === 'test-end').length;
		throw new BaleenError(`${shown} is cut short: it has no run-end, ${ended} of ${start.total} files ended (was the run killed?)`);
	}

	return events;
}

/**
A run's events, from its `--output-dir` or its events file, checked whole: any problem is one line
(a `BaleenError`). Read from a folder, each file's output folder is that folder's own, wherever the
run wrote it (a CI job's shard downloaded elsewhere).
*/
export function readSource(given: string, cwd: string = process.cwd()): Source {
	const where = path.resolve(cwd, given);
	if (!existsSync(where)) {
		throw new BaleenError(`${given}: no such file or folder`);
	}

	const folder = statSync(where).isDirectory() ? where : undefined;
	const file = folder ? path.join(folder, eventsFile) : where;
	if (folder && !existsSync(file)) {
		throw new BaleenError(`${given} is not a baleen output folder: it holds no ${eventsFile}`);
	}

	const shown = folder ? path.join(given, eventsFile) : given;
	const events = checked(parsed(readFileSync(file, 'utf8'), shown), shown);
	return {
		name: given,
		events: folder ? events.map(event => (event.type === 'test-end' && event.outputFolder ? {...event, outputFolder: fileFolder(folder, event.file)} : event)) : events,
	};
}
