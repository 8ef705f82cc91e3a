import type {Resources} from '../events.js';

/** The `name value` lines a container wrote (see probe.ts), as numbers; a line that is not one is left out. */
function values(text: string): Map<string, number> {
	const found = new Map<string, number>();
	for (const line of text.split('\n')) {
		const match = /^(\S+) (\d+)$/.exec(line.trim());
		if (match) {
			found.set(match[1]!, Number(match[2]));
		}
	}

	return found;
}

/**
What a file's container took, from the figures it wrote as it ended: cgroup v2's figures, else v1's. A
figure the text does not have is absent; with none at all, so is the whole.
*/
export function parseResources(text: string): Resources | undefined {
	const found = values(text);
	const memoryPeakBytes = found.get('memory.peak') ?? found.get('memory.max_usage_in_bytes');
	const usageUsec = found.get('cpu.stat.usage_usec');
	const usageNs = found.get('cpuacct.usage');
	const cpuMs = usageUsec === undefined ? (usageNs === undefined ? undefined : usageNs / 1e6) : usageUsec / 1000;
	const pidsPeak = found.get('pids.peak') ?? found.get('pids.sampled');
	const resources: Resources = {
		...(memoryPeakBytes !== undefined && {memoryPeakBytes}),
		...(cpuMs !== undefined && {cpuMs: Math.round(cpuMs)}),
		...(pidsPeak !== undefined && {pidsPeak}),
	};
	return Object.keys(resources).length > 0 ? resources : undefined;
}

/** The figures of containers that ran one file's parts side by side: their CPU added up, the highest of each peak. */
export function joinResources(all: ReadonlyArray<Resources | undefined>): Resources | undefined {
	const measured = all.filter((resources): resources is Resources => resources !== undefined);
	const most = (name: 'memoryPeakBytes' | 'pidsPeak') => {
		const figures = measured.flatMap(resources => resources[name] ?? []);
		return figures.length > 0 ? {[name]: Math.max(...figures)} : {};
	};

	const cpu = measured.flatMap(resources => resources.cpuMs ?? []);
	return measured.length > 0 ? {...most('memoryPeakBytes'), ...(cpu.length > 0 && {cpuMs: cpu.reduce((sum, ms) => sum + ms, 0)}), ...most('pidsPeak')} : undefined;
}

/** The most the figures and their marker's two lines take: the end of stderr looked at, whatever the file printed. */
export const measuredEndBytes = 4096;

/**
The figures a container wrote as the last bytes of its stderr (see probe.ts): a newline, the marker's
line, `name value` lines, the marker's line again. `ending`: the stream's last bytes (`measuredEndBytes`
at most); `bytes`, how many of them were the container's own and not the file's, to take off what is
shown and kept. Undefined when the stream does not end so: a container killed before it wrote them, or
one whose file left a process that wrote after them.
*/
export function measuredEnd(ending: string, marker: string): {resources?: Resources; bytes: number} | undefined {
	const closing = ending.length - marker.length - 1;
	if (!ending.endsWith(`\n${marker}\n`)) {
		return undefined;
	}

	const opening = ending.lastIndexOf(`\n${marker}\n`, closing - marker.length - 2);
	if (opening < 0) {
		return undefined;
	}

	const resources = parseResources(ending.slice(opening + marker.length + 2, closing));
	return {...(resources && {resources}), bytes: ending.length - opening};
}
