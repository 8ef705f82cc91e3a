/** Polling until a check holds: the benches' (see source/bench/lib/poll.ts). */
export {until} from '../../source/bench/lib/poll.js';
