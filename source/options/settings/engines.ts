import {enginesSchema, parseEngines} from '../../backends/pool/choice.js';
import {ownWords} from '../check.js';
import {option} from '../declaration.js';

/** `--engine TARGET[=SLOTS]`, repeatable; `engines:` in baleen.yml. A target's own words are the pool's (`parseEngine`). */
export const engines = option({
	name: 'engine',
	configName: 'engines',
	type: 'string',
	multiple: true,
	value: 'TARGET',
	help: 'An engine to run files on, TARGET[=SLOTS] with SLOTS files at once (default: its\nCPU count); TARGET is unix://PATH, tcp://HOST:PORT, ssh://USER@HOST or a Docker\ncontext\'s name; repeat it to spread one run over several engines',
	section: 'Options',
	schema: enginesSchema.transform((given, context) => {
		try {
			return parseEngines(given);
		} catch (error) {
			return ownWords(context, error, given);
		}
	}).optional(),
});
