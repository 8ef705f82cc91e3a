/** File names a shell would misread if it ever parsed them; each must arrive as data. */
export const hostileNames = [
	'plain.sh',
	'with space.sh',
	'it\'s.sh',
	'"double".sh',
	'$(touch pwned).sh',
	'`touch pwned`.sh',
	'a;touch pwned.sh',
	'new\nline.sh',
	'$HOME.sh',
	'back\\slash.sh',
	'glob*.sh',
	'a && touch pwned.sh',
];
