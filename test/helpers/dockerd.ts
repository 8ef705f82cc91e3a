import {after, before} from 'node:test';
import {startDockerd, type Dockerd} from '../../bench/lib/dockerd.js';

/** A dockerd of a test's own: the benches' (see bench/lib/dockerd.ts). */
export {startDockerd, type Dockerd} from '../../bench/lib/dockerd.js';

/** A dockerd for the tests of one file, with baleen-test-shell loaded: started before them, removed after; the getter gives it. */
export function privateEngine(name: string, subnet: number): () => Dockerd {
	let engine: Dockerd | undefined;
	before(async () => {
		engine = await startDockerd(name, subnet);
		engine.load('baleen-test-shell');
	});
	after(async () => {
		await engine?.remove();
	});
	return () => engine!;
}
