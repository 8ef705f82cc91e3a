/** Polling until a check holds: the benches' (see bench/lib/poll.ts). */
export {until} from '../../bench/lib/poll.js';
