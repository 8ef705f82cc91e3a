import {BaleenError} from '../errors.js';

/** Where a shared queue lives: a Redis server, and the queue's NAME on it. */
export type QueueAddress = {
	host: string;
	port: number;
	/** `rediss://`: TLS. */
	tls: boolean;
	username?: string;
	password?: string;
	/** The Redis database, after the NAME: `redis://host/NAME?db=2`. */
	db?: number;
	name: string;
	/** The URL as it may be shown: the password as `***`. */
	shown: string;
};

const expected = 'expected redis://[USER:PASSWORD@]HOST:PORT/NAME or rediss:// (TLS)';

/** The URL with its password hidden, whatever else is wrong with it. */
export function hidden(text: string): string {
	return text.replace(/^([a-z]+:\/\/)([^@/]*)@/i, (_, scheme: string, credentials: string) => {
		const colon = credentials.indexOf(':');
		return `${scheme}${colon === -1 ? '***' : `${credentials.slice(0, colon)}:***`}@`;
	});
}

const refused = (text: string, why: string) => new BaleenError(`--queue ${hidden(text)}: ${why}, ${expected}`);

/**
`redis://[user:pass@]host:port/NAME` (`rediss://` with TLS): a `BaleenError` naming what is wrong, the
password hidden. NAME tells one pipeline's queue from another's on the same server.
*/
export function queueAddress(text: string): QueueAddress {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw refused(text, 'not a URL');
	}

	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
		throw refused(text, `not a redis URL (${url.protocol.replace(/:$/, '')}://)`);
	}

	if (url.hostname === '') {
		throw refused(text, 'no host');
	}

	const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
	if (!/^[\w.:-]+$/.test(name)) {
		throw refused(text, name === '' ? 'no queue NAME after the host' : `the NAME "${name}" may hold only letters, digits, _ . : -`);
	}

	const port = url.port === '' ? 6379 : Number(url.port);
	const db = url.searchParams.get('db');
	if (db !== null && !/^\d+$/.test(db)) {
		throw refused(text, `db=${db} is not a database number`);
	}

	const username = decodeURIComponent(url.username);
	const password = decodeURIComponent(url.password);
	return {
		host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
		port,
		tls: url.protocol === 'rediss:',
		...(username !== '' && {username}),
		...(password !== '' && {password}),
		...(db !== null && {db: Number(db)}),
		name,
		shown: hidden(`${url.protocol}//${url.username}${url.password === '' ? '' : ':x'}${url.username || url.password ? '@' : ''}${url.host}/${name}`),
	};
}
