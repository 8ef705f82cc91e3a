export {run, type RunContext} from './run/run.js';
export {runInContainer, type TestJob} from './run/lifecycle.js';
export {reduceState, initialState, type RunState, type RunningTest} from './run/state.js';
export {exitCodeFor} from './run/summary.js';
export {dockerEngine} from './engine/docker.js';
export type {Engine, ContainerSpec, Output} from './engine/engine.js';
export {BaleenError} from './errors.js';
export type {RunOptions} from './options.js';
export * from './events.js';
