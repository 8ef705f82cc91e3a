import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {baleen, leftovers, runStart} from '../helpers/cli.js';
import {results} from '../helpers/config-fixtures.js';
import {folder} from '../helpers/folder.js';

const suiteYaml = `
concurrency: 2
env: [GREETING=hello]
projects:
  shell:
    image: baleen-test-shell
    mount: .:/w
    workdir: /w
    command: echo "$GREETING from {file}"; sh {file}
    patterns: ['*.sh']
`;

function shellProject(): string {
	const directory = folder({'baleen.yml': suiteYaml, 'pass.sh': 'echo ok\n', 'fail.sh': 'exit 3\n'});
	mkdirSync(path.join(directory, 'deep/er'), {recursive: true});
	return directory;
}

describe('a project from baleen.yml, on the real engine', () => {
	test('runs the project\'s files with its settings, found from a subfolder', async () => {
		const directory = shellProject();
		const {code, events, stderr} = await baleen(['--project', 'shell', '--quiet'], {cwd: path.join(directory, 'deep/er')});
		const start = runStart(events);
		assert.deepEqual(leftovers(start.runId), []);
		assert.equal(stderr, '');
		assert.equal(code, 1);
		assert.equal(start.image, 'baleen-test-shell');
		assert.equal(start.concurrency, 2);
		assert.deepEqual(results(events), {'fail.sh': 'failed 3', 'pass.sh': 'passed 0'});
		const pass = events.find(event => event.type === 'test-end' && event.file === 'pass.sh');
		assert.equal(pass?.type === 'test-end' && pass.stdout, 'hello from pass.sh\nok\n');
	});

	test('flags override the file: patterns, command, concurrency and env', async () => {
		const directory = shellProject();
		const {code, events} = await baleen([
			'--project', 'shell', 'pass.sh', '-j', '1', '-e', 'GREETING=bonjour', '-c', 'echo "$GREETING, {file} overridden"',
		], {cwd: directory});
		const start = runStart(events);
		assert.deepEqual(leftovers(start.runId), []);
		assert.equal(code, 0);
		assert.equal(start.concurrency, 1);
		assert.deepEqual(results(events), {'pass.sh': 'passed 0'});
		const pass = events.find(event => event.type === 'test-end');
		assert.equal(pass?.type === 'test-end' && pass.stdout, 'bonjour, pass.sh overridden\n');
	});

	test('--list-projects lists them and starts nothing', async () => {
		const {code, stdout} = await baleen(['--list-projects'], {cwd: shellProject()});
		assert.equal(code, 0);
		assert.equal(stdout, 'Projects in baleen.yml:\n  shell  baleen-test-shell · *.sh\n');
	});
});

describe('an invalid config file ends with one line and exit 2, before any container', () => {
	const kinds: Array<[string, Record<string, string>, string[], RegExp]> = [
		['YAML that does not parse', {'baleen.yml': 'projects:\n  shell: [\n'}, ['-p', 'shell'], /^baleen: baleen\.yml:\d+:\d+: not valid YAML: /],
		['JSON that does not parse', {'baleen.config.json': '{"image": "a",}'}, ['-p', 'shell'], /^baleen: baleen\.config\.json:1:\d+: not valid JSON: /],
		['a value of the wrong type', {'baleen.yml': 'projects:\n  shell:\n    timeout: soon\n'}, ['-p', 'shell'], /^baleen: baleen\.yml:3:14: projects\.shell\.timeout: expected seconds greater than 0, e\.g\. 300 or "300s", found "soon"$/],
		['an unknown key', {'baleen.yml': 'imgae: x\n'}, ['-p', 'shell'], /^baleen: baleen\.yml:1:1: imgae: unknown key \(did you mean "image"\?\); expected one of /],
		['a file that is not a map', {'baleen.yml': 'just text\n'}, ['-p', 'shell'], /^baleen: baleen\.yml: expected a map of settings \(image, command, …\) and projects, found "just text"$/],
		['two config files', {'baleen.yml': '', 'baleen.config.json': '{}'}, ['-p', 'shell'], /^baleen: baleen\.yml and baleen\.config\.json are both in .*; keep one$/],
		['an unknown project', {'baleen.yml': 'projects:\n  cart: {image: x}\n'}, ['-p', 'shell'], /^baleen: no project "shell" in baleen\.yml; it has cart$/],
		['a missing --config file', {}, ['--config', 'nowhere.yml', '-p', 'shell'], /^baleen: cannot read the config file nowhere\.yml: there is no such file$/],
	];

	for (const [name, files, args, expected] of kinds) {
		test(name, async () => {
			const {code, stdout, stderr} = await baleen([...args, '--json'], {cwd: folder(files)});
			assert.equal(code, 2);
			assert.equal(stdout, '', 'no event, so no container');
			assert.match(stderr.trimEnd(), expected);
			assert.equal(stderr.trimEnd().split('\n').length, 1);
		});
	}
});
