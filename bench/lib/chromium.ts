/**
A headless Chromium (Debian's, installed by script/setup) driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: messages are JSON ended by a NUL byte, on file descriptors 3 and 4), so
that tests and benches can load a page, read its DOM, click and type as a person does, with no
package beyond Node.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Readable, Writable} from 'node:stream';

export const chromiumPath = process.env.BALEEN_CHROMIUM ?? '/usr/bin/chromium';

type Waiter = {resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void};

export type Page = {
	/** Loads a URL and resolves once its load event fired and a frame was drawn. */
	load(url: string): Promise<void>;
	/** The value of an expression in the page (awaited when it is a promise); it must be JSON. */
	evaluate<T>(expression: string): Promise<T>;
	/** A real click (mouse pressed and released) at the middle of the first element `selector` finds, scrolled into view. */
	click(selector: string): Promise<void>;
	/** Types text into what has the focus, as the keyboard would. */
	type(text: string): Promise<void>;
	colorScheme(scheme: 'light' | 'dark'): Promise<void>;
	/** A PNG of the page: `fullPage` the whole of it, else the viewport. */
	screenshot(options?: {fullPage?: boolean}): Promise<Buffer>;
	resize(width: number, height: number): Promise<void>;
	/** Chromium's counters since the page was made (`Performance.getMetrics`): `ScriptDuration`, `RecalcStyleDuration`, `LayoutDuration`, `TaskDuration` in seconds, `Nodes`… */
	metrics(): Promise<Record<string, number>>;
};

export type Browser = {
	page(): Promise<Page>;
	close(): Promise<void>;
};

export async function launch(): Promise<Browser> {
	const profile = mkdtempSync(path.join(tmpdir(), 'baleen-chromium-'));
	const child: ChildProcess = spawn(chromiumPath, [
		'--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe', '--no-first-run', '--no-default-browser-check',
		'--disable-extensions', '--disable-background-networking', `--user-data-dir=${profile}`, 'about:blank',
	], {stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe']});
	const input = child.stdio[3] as Writable;
	const output = child.stdio[4] as Readable;
	const waiting = new Map<number, Waiter>();
	const listeners = new Set<(message: {method: string; params: Record<string, unknown>; sessionId?: string}) => void>();
	let nextId = 1;
	let buffered = '';
	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			for (const waiter of waiting.values()) {
				waiter.reject(new Error('chromium exited'));
			}

			resolve();
		});
	});
	child.once('error', error => {
		for (const waiter of waiting.values()) {
			waiter.reject(error);
		}
	});

	output.setEncoding('utf8');
	output.on('data', (chunk: string) => {
		buffered += chunk;
		for (let end = buffered.indexOf('\0'); end !== -1; end = buffered.indexOf('\0')) {
			const message = JSON.parse(buffered.slice(0, end)) as {id?: number; result?: Record<string, unknown>; error?: {message: string}; method?: string; params?: Record<string, unknown>; sessionId?: string};
			buffered = buffered.slice(end + 1);
			if (message.id !== undefined) {
				const waiter = waiting.get(message.id);
				waiting.delete(message.id);
				if (message.error) {
					waiter?.reject(new Error(message.error.message));
				} else {
					waiter?.resolve(message.result ?? {});
				}
			} else if (message.method) {
				for (const listener of listeners) {
					listener({method: message.method, params: message.params ?? {}, ...(message.sessionId && {sessionId: message.sessionId})});
				}
			}
		}
	});

	const send = async (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> => new Promise((resolve, reject) => {
		const id = nextId++;
		waiting.set(id, {resolve, reject});
		input.write(`${JSON.stringify({id, method, params, ...(sessionId && {sessionId})})}\0`);
	});
	const next = async (method: string, sessionId: string): Promise<void> => new Promise(resolve => {
		const listener = (message: {method: string; sessionId?: string}) => {
			if (message.method === method && message.sessionId === sessionId) {
				listeners.delete(listener);
				resolve();
			}
		};

		listeners.add(listener);
	});

	return {
		async page() {
			const {targetId} = await send('Target.createTarget', {url: 'about:blank'});
			const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true}) as {sessionId: string};
			const call = async (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
			await call('Page.enable');
			await call('Performance.enable');
			const evaluate = async <T>(expression: string): Promise<T> => {
				const {result, exceptionDetails} = await call('Runtime.evaluate', {expression, returnByValue: true, awaitPromise: true}) as {result: {value: T}; exceptionDetails?: {text: string; exception?: {description?: string}}};
				if (exceptionDetails) {
					throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
				}

				return result.value;
			};

			const page: Page = {
				async load(url) {
					const loaded = next('Page.loadEventFired', sessionId);
					await call('Page.navigate', {url});
					await loaded;
					await evaluate('new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
				},
				evaluate,
				async click(selector) {
					const box = await evaluate<{x: number; y: number} | null>(`(() => {
						const element = document.querySelector(${JSON.stringify(selector)});
						if (!element) return null;
						element.scrollIntoView({block: 'center'});
						const {left, top, width, height} = element.getBoundingClientRect();
						return {x: left + Math.min(width / 2, 20), y: top + height / 2};
					})()`);
					if (!box) {
						throw new Error(`nothing to click: ${selector}`);
					}

					for (const type of ['mousePressed', 'mouseReleased']) {
						// eslint-disable-next-line no-await-in-loop
						await call('Input.dispatchMouseEvent', {type, x: box.x, y: box.y, button: 'left', clickCount: 1});
					}
				},
				async type(text) {
					await call('Input.insertText', {text});
				},
				async colorScheme(scheme) {
					await call('Emulation.setEmulatedMedia', {features: [{name: 'prefers-color-scheme', value: scheme}]});
				},
				async screenshot({fullPage = false} = {}) {
					const {data} = await call('Page.captureScreenshot', {format: 'png', captureBeyondViewport: fullPage}) as {data: string};
					return Buffer.from(data, 'base64');
				},
				async resize(width, height) {
					await call('Emulation.setDeviceMetricsOverride', {width, height, deviceScaleFactor: 1, mobile: false});
				},
				async metrics() {
					const {metrics} = await call('Performance.getMetrics') as {metrics: Array<{name: string; value: number}>};
					return Object.fromEntries(metrics.map(({name, value}) => [name, value]));
				},
			};
			return page;
		},
		async close() {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
			}

			await exited;
			// Its helper processes may still be writing to the profile for a while after the browser exits
			// (seen for more than 5 s); a profile that outlives them all is a temporary folder, not a failure.
			try {
				rmSync(profile, {recursive: true, force: true, maxRetries: 20, retryDelay: 100});
			} catch {}
		},
	};
}
