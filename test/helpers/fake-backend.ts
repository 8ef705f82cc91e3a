import type {Observable} from 'rxjs';
import type {Backend, Job, JobEvent} from '../../source/backends/backend.js';

/**
A backend whose every job is what `life` makes of the job and its stop signal: a run's pipeline with no
engine under it. `slots`: how many jobs it runs at once when the run does not say.
*/
export function fakeBackend(life: (stop$: Observable<unknown>, job: Job) => Observable<JobEvent>, {slots = 1} = {}): Backend {
	return {
		name: 'fake',
		prepare: async () => ({slots, notes: []}),
		run: (job, stop$) => life(stop$, job),
		sweep: async () => 0,
		close: async () => undefined,
	};
}
