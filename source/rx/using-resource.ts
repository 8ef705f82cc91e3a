import {
	EMPTY, NEVER, Observable, ReplaySubject, type ObservableInput, type Subscription, catchError, defer, from,
} from 'rxjs';

export type ResourceLife<R, T> = {
	/** Makes the resource. Never called when the stop comes before the turn. */
	create: () => ObservableInput<R>;
	/**
	A resource made ahead of the turn, taken instead of creating one; one that could not be made is
	created now, so that the failure is the create's own. It is removed even when the stop comes first.
	*/
	made?: ObservableInput<R>;
	/**
	What the resource is for. How a stop ends it once the resource is there is its own business:
	`stopped$` emits once told to stop, at once to a subscriber that comes later.
	*/
	use: (resource: R, stopped$: Observable<void>) => ObservableInput<T>;
	/** Called once for whatever was made, however its use ended; its failure is nobody's to see. */
	remove: (resource: R) => ObservableInput<unknown>;
	/** What a failure to create or to use becomes: the last value, never an error. */
	failed: (error: unknown) => T;
	/**
	Its first value stops the life. One that comes before the turn (replayed on subscription) means
	nothing is made, and one made ahead goes; while the resource is made, the wait ends at once, and
	what is made later is removed as it comes.
	*/
	stop$?: Observable<unknown>;
};

/**
Create, use, always remove, as one cold Observable: the values of `use`, then the removal, then
completion. Unsubscribing early removes at once what was made, or what is being made once it is.
Whatever is made is removed exactly once, even by a removal nobody waits for any more: a stop does
not wait for an engine that may no longer answer.

One operator with its state inside, as rxjs's own `mergeInternals`: every container's life goes
through it, and composed of rxjs' operators it took twice the subscriptions of a whole file's run.
*/
export function usingResource<R, T>({create, made, use, remove, failed, stop$ = NEVER}: ResourceLife<R, T>): Observable<T> {
	return new Observable<T>(subscriber => {
		const stopped$ = new ReplaySubject<void>(1);
		/** What was made, once it is (the last value, as an AsyncSubject would). */
		let resource: {value: R} | undefined;
		/** Whether making it is over, one way or the other. */
		let settled = false;
		/** The life ended before the resource was made: what comes now is only removed. */
		let abandoned = false;
		let removal: 'not yet' | 'under way' | 'done' = 'not yet';
		let removed = () => undefined as void;
		let using: Subscription | undefined;

		const removeMade = () => {
			if (resource && removal === 'not yet') {
				removal = 'under way';
				const done = () => {
					removal = 'done';
					removed();
				};

				// Not torn down with the subscriber: what was made goes even when nobody waits for it.
				from(remove(resource.value)).subscribe({error: done, complete: done});
			}
		};

		/** The end of the life as its subscriber sees it: once what was made is gone. */
		const finish = () => {
			if (resource && removal !== 'done') {
				removed = () => {
					subscriber.complete();
				};

				removeMade();
			} else {
				subscriber.complete();
			}
		};

		const abandon = () => {
			abandoned = true;
			subscriber.complete();
		};

		let subscribing = true;
		let stopped = false;
		let stoppedBefore = false;
		const stopping = stop$.subscribe(() => {
			if (stopped) {
				return;
			}

			stopped = true;
			stopped$.next();
			if (subscribing) {
				stoppedBefore = true;
			} else if (!settled) {
				// While the resource is made, the wait ends at once; once it is, the stop is the use's.
				abandon();
			}
		});
		subscribing = false;

		if (stoppedBefore) {
			stopping.unsubscribe();
		}

		const making$ = stoppedBefore
			? from(made ?? EMPTY).pipe(catchError(() => EMPTY))
			: (made === undefined ? defer(create) : from(made).pipe(catchError(() => defer(create))));
		making$.subscribe({
			next(value) {
				resource = {value};
			},
			error(error: unknown) {
				settled = true;
				if (!abandoned) {
					subscriber.next(failed(error));
					subscriber.complete();
				}
			},
			complete() {
				settled = true;
				if (abandoned) {
					removeMade();
					return;
				}

				if (stoppedBefore || !resource) {
					finish();
					return;
				}

				using = from(use(resource.value, stopped$)).subscribe({
					next(value) {
						subscriber.next(value);
					},
					error(error: unknown) {
						subscriber.next(failed(error));
						finish();
					},
					complete: finish,
				});
			},
		});

		return () => {
			abandoned = true;
			stopping.unsubscribe();
			using?.unsubscribe();
			removeMade();
		};
	});
}
