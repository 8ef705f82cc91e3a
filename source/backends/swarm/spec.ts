import type Docker from 'dockerode';
import type {JobSpec} from '../backend.js';

/**
Where a task's output goes, so that the service's logs can be read back: `json-file`, `local` and
`journald` can be read, an engine default of `none` (or `syslog`) cannot.
*/
export const logDriver = 'json-file';

/** `SRC:DST[:ro]` as a Swarm mount: a bind of a path on whichever node runs the task. */
export function mount(bind: string): Docker.MountSettings {
	const [source, target, mode] = bind.split(':');
	return {Type: 'bind', Source: source!, Target: target!, ...(mode === 'ro' && {ReadOnly: true})};
}

/**
One job as a one-shot service: a replicated job of one completion whose task is never restarted.
One service per file, never one service of many completions: the job orchestrator starts a failed
task of a job again until it has its completions, whatever the restart policy says.
The command is the container's `Args` (as `Cmd` is for a container): the image's entrypoint stays.
*/
export function serviceSpec(name: string, spec: JobSpec): Docker.CreateServiceOptions {
	const {limits} = spec;
	const resourceLimits = {
		...(limits?.memoryBytes && {MemoryBytes: limits.memoryBytes}),
		...(limits?.cpus && {NanoCPUs: Math.round(limits.cpus * 1e9)}),
		...(limits?.pidsLimit && {Pids: limits.pidsLimit}),
	};
	return {
		Name: name,
		Labels: spec.labels,
		TaskTemplate: {
			ContainerSpec: {
				Image: spec.image,
				Args: spec.cmd,
				Env: spec.env,
				...(spec.workdir && {Dir: spec.workdir}),
				Labels: spec.labels,
				Mounts: spec.binds.map(bind => mount(bind)),
			},
			RestartPolicy: {Condition: 'none', MaxAttempts: 1},
			LogDriver: {Name: logDriver},
			...(Object.keys(resourceLimits).length > 0 && {Resources: {Limits: resourceLimits}}),
			// Without one, the task joins the node's default bridge, as a container would.
			...(spec.network && spec.network !== 'bridge' && {Networks: [{Target: spec.network}]}),
		},
		Mode: {ReplicatedJob: {MaxConcurrent: 1, TotalCompletions: 1}},
	};
}

/** A service name Docker takes (letters, digits, dashes, at most 63) that says whose it is. */
export function serviceName(runId: string, suffix: string): string {
	const run = runId.replaceAll(/[^a-zA-Z\d-]/g, '-').slice(0, 40);
	return `baleen-${run}-${suffix}`.replaceAll(/-+/g, '-');
}
