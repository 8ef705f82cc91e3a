import {ReplaySubject, connectable, filter, map, merge, scan, startWith, take, type Connectable, type Observable} from 'rxjs';
import type {TestEnd} from '../events.js';
import {bailReached, countsForBail} from '../options/settings/bail.js';

/**
Whether new attempts are to start no more, now and from then on: not after `halt$`, nor once as many
files as `bail` ended without passing (their `ends`). Replayed to each who asks, once connected.
*/
export function halting(halt$: Observable<unknown>, ends: Observable<TestEnd>, bail: number | undefined): Connectable<boolean> {
	const bailed$ = ends.pipe(
		scan((failures, event) => failures + (countsForBail(event.status) ? 1 : 0), 0),
		filter(failures => bailReached(failures, bail)),
	);
	return connectable(merge(halt$, bailed$).pipe(take(1), map(() => true), startWith(false)), {connector: () => new ReplaySubject(1)});
}
