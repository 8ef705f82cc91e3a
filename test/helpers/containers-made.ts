import {execFileSync} from 'node:child_process';

/**
The labels of each container a run created, as the engine's event log tells it (the containers are
gone by then): `docker events` between two times, for the run's label.
*/
export function containersMade(runId: string, since: Date, until = new Date()): Array<Record<string, string>> {
	const stdout = execFileSync('docker', [
		'events', '--since', since.toISOString(), '--until', until.toISOString(),
		'--filter', 'type=container', '--filter', 'event=create', '--filter', `label=baleen.run=${runId}`,
		'--format', '{{json .Actor.Attributes}}',
	], {encoding: 'utf8'});
	return stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, string>);
}
