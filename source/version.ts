import {readFileSync} from 'node:fs';

/** baleen's own version, from its package.json (one folder above source/ and dist/ alike). */
export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version;
