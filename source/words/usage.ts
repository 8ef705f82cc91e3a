import type {Resources, RunEnd, Usage} from '../events.js';
import {heaviestShown, memoryHeadroom, nearLimitShare} from '../resources/usage.js';
import {formatBytes, formatDuration, printable} from './format.js';

const mebibyte = 1024 * 1024;

/** `1.2 s CPU, 21 processes`: what a file took beside its memory. */
function besideMemory({cpuMs, pidsPeak}: Resources): string {
	return [cpuMs === undefined ? undefined : `${formatDuration(cpuMs)} CPU`, pidsPeak === undefined ? undefined : `${pidsPeak} process${pidsPeak === 1 ? '' : 'es'}`]
		.filter(Boolean).join(', ');
}

/** `memory.sh 120 MiB (1.2 s CPU, 3 processes)`. */
function heavyFile(file: {file: string} & Resources): string {
	const beside = besideMemory(file);
	return `${printable(file.file)} ${formatBytes(file.memoryPeakBytes ?? 0)}${beside ? ` (${beside})` : ''}`;
}

/** The `--memory` Docker takes for a number of bytes, rounded up to a whole MiB: `180m`. */
export const memoryFlag = (bytes: number) => `${Math.ceil(bytes / mebibyte)}m`;

/**
What the files' containers took, as the summary's lines: the heaviest files by memory, the `--memory`
that would have held them all, and the files that came near the one given.
*/
export function usageLines({usage}: Pick<RunEnd, 'usage'>): string[] {
	if (!usage || usage.heaviest.length === 0) {
		return [];
	}

	const {heaviest, suggestedMemoryBytes, memoryLimitBytes, nearMemoryLimit} = usage;
	return [
		`Heaviest: ${heaviest.slice(0, heaviestShown).map(file => heavyFile(file)).join(', ')}`,
		...(suggestedMemoryBytes === undefined ? [] : [`Memory: --memory ${memoryFlag(suggestedMemoryBytes)} would hold every file (${memoryHeadroom} × the highest peak, ${formatBytes(heaviest[0]!.memoryPeakBytes!)})`]),
		...nearLines(usage, memoryLimitBytes, nearMemoryLimit),
	];
}

function nearLines(usage: Usage, limit: number | undefined, near: string[] | undefined): string[] {
	if (limit === undefined || !near?.length) {
		return [];
	}

	const peaks = new Map(usage.heaviest.map(file => [file.file, file.memoryPeakBytes]));
	const named = near.map(file => (peaks.has(file) ? `${printable(file)} (${formatBytes(peaks.get(file)!)})` : printable(file)));
	return [`Near the limit: ${named.join(', ')} came within ${nearLimitShare * 100} % of --memory ${formatBytes(limit)}`];
}
