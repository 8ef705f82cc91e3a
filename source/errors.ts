/**
A problem with what the user asked for or with the environment, found before the first test starts:
the CLI prints its message as one line and exits 2.
*/
export class BaleenError extends Error {
	override name = 'BaleenError';
	readonly exitCode = 2;
}
