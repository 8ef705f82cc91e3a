import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {BaleenError} from '../../errors.js';

/** Key, certificate and CA as PEM files, and whether the server's certificate is checked. */
export type TlsFiles = {ca?: string; cert?: string; key?: string; verify: boolean};

/** Where an engine is: its host URL and the TLS material to reach it with, as the docker CLI would use them. */
export type Endpoint = {
	/** For people: the URL, or the context's name. */
	name: string;
	host: string;
	tls?: TlsFiles;
};

const defaultHost = 'unix:///var/run/docker.sock';

/** The docker CLI's configuration folder: `DOCKER_CONFIG`, or `~/.docker`. */
export const dockerConfigDirectory = (environment: NodeJS.ProcessEnv) => environment.DOCKER_CONFIG || path.join(homedir(), '.docker');

/** A context's folder in the store is the SHA-256 of its name. */
const digest = (name: string) => createHash('sha256').update(name).digest('hex');

function pemFiles(folder: string): Omit<TlsFiles, 'verify'> {
	const file = (name: string) => (existsSync(path.join(folder, name)) ? path.join(folder, name) : undefined);
	const found = {ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem')};
	return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined));
}

/**
A host given as a URL, with TLS as the docker CLI adds it for `-H`: with `DOCKER_TLS_VERIFY` set, a `tcp://`
host is reached over TLS with the certificates of `DOCKER_CERT_PATH` (or the config folder), the server checked.
*/
export function hostEndpoint(host: string, environment: NodeJS.ProcessEnv): Endpoint {
	if (host.startsWith('tcp://') && environment.DOCKER_TLS_VERIFY) {
		return {name: host, host, tls: {...pemFiles(environment.DOCKER_CERT_PATH || dockerConfigDirectory(environment)), verify: true}};
	}

	return {name: host, host};
}

type ContextMeta = {Name?: string; Endpoints?: {docker?: {Host?: string; SkipTLSVerify?: boolean}}};

/** A context of the docker CLI's store; `default` is DOCKER_HOST or the local socket, as for the CLI. */
export function contextEndpoint(name: string, environment: NodeJS.ProcessEnv): Endpoint {
	if (name === 'default') {
		return {...hostEndpoint(environment.DOCKER_HOST || defaultHost, environment), name};
	}

	const store = path.join(dockerConfigDirectory(environment), 'contexts');
	const metaFile = path.join(store, 'meta', digest(name), 'meta.json');
	let meta: ContextMeta;
	try {
		meta = JSON.parse(readFileSync(metaFile, 'utf8')) as ContextMeta;
	} catch (error) {
		const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
		throw new BaleenError(missing
			? `there is no Docker context "${name}" in ${store} (docker context ls lists them)`
			: `cannot read the Docker context "${name}" (${metaFile}): ${(error as Error).message}`);
	}

	const docker = meta.Endpoints?.docker;
	if (!docker?.Host) {
		throw new BaleenError(`the Docker context "${name}" names no Docker endpoint (${metaFile})`);
	}

	const tls = pemFiles(path.join(store, 'tls', digest(name), 'docker'));
	return {
		name,
		host: docker.Host,
		...((Object.keys(tls).length > 0 || docker.SkipTLSVerify) && {tls: {...tls, verify: !docker.SkipTLSVerify}}),
	};
}

/**
The context the docker CLI would use when nothing names an engine: none when DOCKER_HOST is set (the
CLI then uses it), else DOCKER_CONTEXT, else the config file's `currentContext`; `default` is none too.
*/
export function currentContext(environment: NodeJS.ProcessEnv): string | undefined {
	if (environment.DOCKER_HOST) {
		return undefined;
	}

	let name = environment.DOCKER_CONTEXT;
	if (!name) {
		try {
			const config = JSON.parse(readFileSync(path.join(dockerConfigDirectory(environment), 'config.json'), 'utf8')) as {currentContext?: string};
			name = config.currentContext;
		} catch {}
	}

	return name && name !== 'default' ? name : undefined;
}
