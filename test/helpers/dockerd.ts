/** A dockerd of a test's own: the benches' (see source/bench/lib/dockerd.ts). */
export {startDockerd, type Dockerd} from '../../source/bench/lib/dockerd.js';
