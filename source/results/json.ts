import type {z} from 'zod';

const oneLine = (text: string) => text.replaceAll(/\s+/g, ' ').trim();

/** A report that is one JSON document, as `schema` reads it; or why it is not `what` (`a jest --json report`), in one line naming `path`. */
export function readJson<Schema extends z.ZodType>(text: string, path: string, schema: Schema, what: string): {report: z.output<Schema>} | {problem: string} {
	if (text.trim() === '') {
		return {problem: `${path} is not ${what}: it is empty`};
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		return {problem: `${path} is not ${what}: it is not JSON (${oneLine((error as Error).message)})`};
	}

	const checked = schema.safeParse(parsed);
	if (!checked.success) {
		const [issue] = checked.error.issues;
		const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
		return {problem: `${path} is not ${what}: ${where}${oneLine(issue?.message ?? checked.error.message).replace(/^Invalid input: /, '')}`};
	}

	return {report: checked.data};
}
