import {shellWord} from '../shell-word.js';
import {named, takesAll} from './filters.js';
import type {Framework} from './framework.js';

/**
A scenario's name as cucumber-js's JUnit formatter (@cucumber/junit-xml-formatter) writes it, from the
Gherkin document: its Rule, the scenario, its Examples' name, and an example's `#table.row`, with the
example's own name when the outline's name has parameters, joined by ` - ` (the feature is the classname).
*/
const junitName = `function junitName(pickle, {feature}) {
	const [scenarioId, rowId] = pickle.astNodeIds;
	const placed = (feature?.children ?? []).flatMap(({rule, scenario}) => (rule ? rule.children.map(child => ({rule, scenario: child.scenario})) : [{scenario}]));
	const {rule, scenario} = placed.find(({scenario}) => scenario?.id === scenarioId) ?? {};
	const table = scenario?.examples.findIndex(examples => examples.tableBody.some(row => row.id === rowId)) ?? -1;
	const examples = scenario?.examples[table];
	const number = examples && \`#\${table + 1}.\${examples.tableBody.findIndex(row => row.id === rowId) + 1}\`;
	const example = examples && (scenario.name === pickle.name ? number : \`\${number}: \${pickle.name}\`);
	return [rule?.name, scenario?.name || pickle.name, examples?.name, example].filter(Boolean).join(' - ');
}`;

/**
A cucumber-js plugin (12: `--plugin`), whole in a data: URL, that keeps the pickles whose JUnit name is
(`only`) or is not (`except`) one of the names. `--name` cannot: it sees a pickle's name, without the
Rule that the report's name holds, and one name for all the rows of an outline without parameters.
*/
function plugin(names: readonly string[], keep: boolean): string {
	const source = `${junitName}
const names = new Set(${JSON.stringify(names)});
export default {type: 'plugin', coordinator({transform}) {
	transform('pickles:filter', pickles => pickles.filter(({pickle, gherkinDocument}) => names.has(junitName(pickle, gherkinDocument)) === ${keep}));
}};`;
	return `data:text/javascript,${encodeURIComponent(source)}`;
}

export const cucumber: Framework = {
	name: 'cucumber',
	summary: 'cucumber-js: each feature file, its scenarios from its JUnit formatter',
	files: {under: 'features', match: ['**/*.feature']},
	program: [{node: 'cucumber-js'}, {path: 'cucumber-js'}],
	// Added to the formats of the project's own profile (cucumber.json), which keep what they print.
	command: '{program} --format junit:{results} {args} {select}',
	results: {path: '/tmp/baleen-results.xml', format: 'junit'},
	noTests: 'a feature file without scenarios passes (cucumber-js exits 0)',
	split: {
		unit: ({name}) => name,
		select: selection => (takesAll(selection) ? '{file}' : `--plugin ${shellWord(plugin(named(selection), 'only' in selection))} {file}`),
	},
};
