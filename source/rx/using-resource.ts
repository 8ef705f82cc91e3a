import {
	AsyncSubject, EMPTY, NEVER, ReplaySubject, type Observable, type ObservableInput, catchError, concat, defer, finalize, from,
	ignoreElements, map, merge, mergeMap, of, share, take, takeUntil,
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
*/
export function usingResource<R, T>({create, made, use, remove, failed, stop$ = NEVER}: ResourceLife<R, T>): Observable<T> {
	return defer(() => {
		const stopped$ = new ReplaySubject<void>(1);
		const stopping = stop$.pipe(take(1)).subscribe(() => {
			stopped$.next();
		});
		const stoppedFirst = merge(stopped$.pipe(map(() => true)), of(false)).pipe(take(1));

		return stoppedFirst.pipe(
			mergeMap(stoppedBefore => {
				const resource$ = new AsyncSubject<R>();
				// Not torn down with the subscriber: what is under way is made, so that it can go.
				const making$ = made === undefined ? defer(create) : from(made).pipe(catchError(() => defer(create)));
				(stoppedBefore ? from(made ?? EMPTY).pipe(catchError(() => EMPTY)) : making$).subscribe(resource$);

				// Started by whoever asks first, and never again: the end of the use, or the finalize below.
				const removal$ = resource$.pipe(
					catchError(() => EMPTY),
					mergeMap(resource => from(remove(resource)).pipe(catchError(() => EMPTY))),
					ignoreElements(),
					share({resetOnError: false, resetOnComplete: false, resetOnRefCountZero: false}),
				);

				const life$ = stoppedBefore ? removal$ : resource$.pipe(
					takeUntil(stopped$),
					mergeMap(resource => concat(from(use(resource, stopped$)).pipe(catchError((error: unknown) => of(failed(error)))), removal$)),
					catchError((error: unknown) => of(failed(error))),
				);
				return life$.pipe(finalize(() => {
					removal$.subscribe();
				}));
			}),
			finalize(() => {
				stopping.unsubscribe();
			}),
		);
	});
}
