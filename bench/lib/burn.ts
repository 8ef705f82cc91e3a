/**
Files that burn a fixed amount of CPU in node: the work is calibrated once per run by CPU time, not a
clock, so that a file costs the same CPU however crowded the cores are while it runs.
*/
import {execFileSync} from 'node:child_process';

/** One unit of work, the same in calibration and in the files; `x` is printed only so it cannot be optimised away. */
const chunk = 'for (let j = 0; j < 100000; j++) x = (x * 31 + j) | 0;';

/** How many chunks burn `ms` of CPU on this host. */
export function calibrate(ms: number): number {
	const script = `const start = process.cpuUsage(); let x = 0, n = 0;
		const used = () => { const u = process.cpuUsage(start); return (u.user + u.system) / 1000; };
		while (used() < ${ms}) { ${chunk} n++; }
		console.log(x === 0.5 ? -1 : n);`;
	return Number(execFileSync(process.execPath, ['-e', script], {encoding: 'utf8'}));
}

/** A node script that does `chunks` of work. */
export const burn = (chunks: number) => `let x = 0;\nfor (let i = 0; i < ${chunks}; i++) { ${chunk} }\nif (x === 0.5) console.log(x);\n`;
