import type {EngineChoice} from './pool/choice.js';
import type {Backend} from './backend.js';
import type {EngineStore} from './docker/leftovers.js';

/** What a backend can do beyond running a file: a run that asks for what its backend lacks is refused, naming both. */
export type Capabilities = {
	/** Brings files out of a job's sandbox after it ends: `--results`, `--artifacts`. */
	copyOut: boolean;
	/** Builds `--build`'s image where its jobs will run. */
	build: boolean;
	/** Holds each job to `--memory`, `--cpus` and `--pids-limit`. */
	limits: boolean;
	/** Keeps a network namespace per slot for the files it runs one after another (else one per file, as `--fresh-network`). */
	sandboxes: boolean;
	/** Makes a slot's next job ready while the slot is still busy (`Backend.ahead`). */
	createAhead: boolean;
	/** Keeps a failed job's sandbox as an image (`Job.keep`): `--keep-failed`. */
	commit: boolean;
	/** Runs a slot's jobs one after another in one long-lived sandbox (`PrepareRequest.slots`): `--isolate slot`. */
	slotContainers: boolean;
};

/** Where a run's backend looks for its engines: the run's `--engine` choices, else the environment (DOCKER_HOST, the current Docker context). */
export type Where = {
	engines?: readonly EngineChoice[];
	environment: NodeJS.ProcessEnv;
};

/** An engine's store of what baleen made there, with the engine's name for people. */
export type NamedStore = {name: string; store: EngineStore};

/**
One way to run files, as the registry names it (`--backend NAME`): what it can do, the backend of a run,
and where its runs leave things. A new backend is a folder that exports one of these, and a line in the registry.
*/
export type BackendModule = {
	/** For people: what runs each file, in a few words (`--help`). */
	summary: string;
	capabilities: Capabilities;
	/** The backend of a run on the engines it finds; throws a `BaleenError` (a usage error) when it cannot name them. */
	backend(where: Where): Backend;
	/**
	Where the things its runs make are looked for, one store per engine it would use; `baleen clean`, the
	sweep before a run and the reaper ask every module of the registry. Throws a `BaleenError` like `backend`.
	*/
	leftovers(where: Where): NamedStore[];
};
