import {Observable, Subscription, type OperatorFunction} from 'rxjs';

/**
Each value of the source with whether each of `signals` had come by then. The signals replay (a
ReplaySubject, or one that has ended), so one that came before the subscription counts. One operator
with its flags inside: `withLatestFrom` of a `startWith(false)` per signal took six subscriptions each,
on the path of every file.
*/
export function withSeen<T>(...signals: Array<Observable<unknown>>): OperatorFunction<T, [T, ...boolean[]]> {
	return source => new Observable(subscriber => {
		const seen = signals.map(() => false);
		const subscriptions = new Subscription();
		for (const [index, signal$] of signals.entries()) {
			subscriptions.add(signal$.subscribe(() => {
				seen[index] = true;
			}));
		}

		subscriptions.add(source.subscribe({
			next(value) {
				subscriber.next([value, ...seen]);
			},
			error(error: unknown) {
				subscriber.error(error);
			},
			complete() {
				subscriber.complete();
			},
		}));
		return subscriptions;
	});
}
