import type {Resources} from '../events.js';

/** The `name value` lines of the resources file (see probe.ts), as numbers; a line that is not one is left out. */
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
What a file's container took, from the resources file it wrote as it ended: cgroup v2's figures, else
v1's. A figure the file does not have is absent; with none at all, so is the whole.
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
