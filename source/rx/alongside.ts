import {Observable, type OperatorFunction} from 'rxjs';

/**
The source, with `side$` subscribed for as long as the source lives: the side's values and its error
are the source's own, and the source's end ends the side. A `merge` would instead wait for the side
to end too.
*/
export function alongside<T, S>(side$: Observable<S>): OperatorFunction<T, T | S> {
	return source => new Observable<T | S>(subscriber => {
		const side = side$.subscribe({
			next(value) {
				subscriber.next(value);
			},
			error(error: unknown) {
				subscriber.error(error);
			},
		});
		const main = source.subscribe(subscriber);
		return () => {
			side.unsubscribe();
			main.unsubscribe();
		};
	});
}
