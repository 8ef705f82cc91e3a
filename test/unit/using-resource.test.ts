import {describe, test} from 'node:test';
import {NEVER, map, mergeMap, of, take, timer, type Observable} from 'rxjs';
import {usingResource} from '../../source/rx/using-resource.js';
import {testScheduler} from '../helpers/scheduler.js';

type Marbles = {
	create: string;
	use: string;
	remove: string;
	made?: string;
	stop?: string;
	/** Stopped before the turn: the stop is replayed at once on subscription, as the run's are. */
	stoppedBefore?: true;
};

/**
The life of resource `r` in virtual time: each part a cold Observable (`stop` a hot one) of the marbles
given, `failed` turning any failure into `f`; `check` gets the life and each part's subscriptions.
*/
function life(marbles: Marbles, check: (helpers: {
	life$: Observable<string>;
	expectObservable: (observable: Observable<string>, unsubscription?: string) => {toBe: (marbles: string, values?: Record<string, string>) => void};
	subscriptions: (part: 'create' | 'use' | 'remove' | 'made') => {toBe: (marbles: string | string[]) => void};
}) => void): void {
	testScheduler().run(({cold, hot, expectObservable, expectSubscriptions}) => {
		const create$ = cold(marbles.create, {r: 'r'});
		const use$ = cold(marbles.use);
		const remove$ = cold(marbles.remove);
		const made$ = marbles.made === undefined ? undefined : cold(marbles.made, {r: 'r'});
		const life$ = usingResource({
			create: () => create$,
			...(made$ && {made: made$}),
			use: () => use$,
			remove: () => remove$,
			failed: () => 'f',
			stop$: marbles.stoppedBefore ? of('s') : (marbles.stop === undefined ? NEVER : hot(marbles.stop)),
		});
		const parts = {create: create$, use: use$, remove: remove$, made: made$ ?? cold('')};
		check({life$, expectObservable, subscriptions: part => expectSubscriptions(parts[part].subscriptions)});
	});
}

describe('usingResource', () => {
	test('creates, uses, removes, and completes only once the removal has', () => {
		life({create: '--r|', use: '-x-y|', remove: '---|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('----x-y---|');
			subscriptions('create').toBe('^--!');
			subscriptions('use').toBe('---^---!');
			subscriptions('remove').toBe('-------^--!');
		});
	});

	test('a use that fails ends with its failure as a value, and the resource still goes', () => {
		life({create: '--r|', use: '-x#', remove: '---|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('----xf--|');
			subscriptions('remove').toBe('-----^--!');
		});
	});

	test('a create that fails ends with its failure as a value, and nothing is removed', () => {
		life({create: '--#', use: '-x|', remove: '-|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('--(f|)');
			subscriptions('use').toBe([]);
			subscriptions('remove').toBe([]);
		});
	});

	test('a stop before the turn creates nothing', () => {
		life({create: '-r|', use: '-x|', remove: '-|', stoppedBefore: true}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('|');
			subscriptions('create').toBe([]);
			subscriptions('remove').toBe([]);
		});
	});

	test('a stop before the turn still removes the resource made ahead, and completes after that removal', () => {
		life({create: '-r|', made: '--r|', use: '-x|', remove: '-|', stoppedBefore: true}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('----|');
			subscriptions('create').toBe([]);
			subscriptions('use').toBe([]);
			subscriptions('remove').toBe('---^!');
		});
	});

	test('a resource made ahead is used instead of creating one', () => {
		life({create: '-r|', made: '(r|)', use: '-x|', remove: '-|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('-x-|');
			subscriptions('create').toBe([]);
		});
	});

	test('a resource that could not be made ahead is created in its turn, its failure the create\'s own', () => {
		life({create: '-#', made: '#', use: '-x|', remove: '-|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('-(f|)');
			subscriptions('create').toBe('^!');
		});
	});

	test('a stop while the resource is made ends the wait at once; what is made later is removed as it comes', () => {
		life({create: '-----r|', use: '-x|', remove: '-|', stop: '^-s'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('--|');
			subscriptions('use').toBe([]);
			subscriptions('remove').toBe('------^!');
		});
	});

	test('a create that fails after the stop is nobody\'s failure', () => {
		life({create: '----#', use: '-x|', remove: '-|', stop: '^-s'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$).toBe('--|');
			subscriptions('remove').toBe([]);
		});
	});

	test('a stop once the resource is there is the use\'s to handle', () => {
		life({create: '-r|', use: '-x---y|', remove: '-|', stop: '^----s'}, ({life$, expectObservable}) => {
			expectObservable(life$).toBe('---x---y-|');
		});
	});

	test('the use is told of the stop, even of one that came before it asked', () => {
		testScheduler().run(({cold, hot, expectObservable}) => {
			const stop$ = hot('^---s');
			const life$ = usingResource({
				create: () => cold('-r|'),
				// Made at 2; asks only from frame 6, after the stop at 4.
				use: (_resource, stopped$) => timer(4).pipe(mergeMap(() => stopped$), map(() => 'told'), take(1)),
				remove: () => cold('-|'),
				failed: () => 'f',
				stop$,
			});
			expectObservable(life$).toBe('------t|', {t: 'told'});
		});
	});

	test('unsubscribing while the resource is used removes it at once', () => {
		life({create: '-r|', use: '-x-------', remove: '--|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$, '-----!').toBe('---x-');
			subscriptions('use').toBe('--^--!');
			subscriptions('remove').toBe('-----^-!');
		});
	});

	test('unsubscribing while the resource is made removes it once made', () => {
		life({create: '----r|', use: '-x|', remove: '-|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$, '--!').toBe('---');
			subscriptions('create').toBe('^----!');
			subscriptions('remove').toBe('-----^!');
		});
	});

	test('unsubscribing during the removal lets it finish, and removes nothing twice', () => {
		life({create: '-r|', use: '-|', remove: '---|'}, ({life$, expectObservable, subscriptions}) => {
			expectObservable(life$, '----!').toBe('-----');
			subscriptions('remove').toBe('---^--!');
		});
	});
});
