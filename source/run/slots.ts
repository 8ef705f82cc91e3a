/**
Which file runs in which slot, as a pure state: files are handed out in order, and a slot whose file
has started may take the next one ahead, so that the backend can make it ready while the slot is busy.
*/
export type Slots = {
	/** How many files there are; `next` is the first not handed out yet. */
	total: number;
	next: number;
	/** How many slots there are: none takes a file ahead before each has had its first. */
	count: number;
	/** The file each slot took ahead: the one it runs when it frees. */
	ahead: ReadonlyMap<number, number>;
};

/** `busy`: the slot's file has started; `free`: the slot can run another. */
export type SlotSignal = {type: 'busy' | 'free'; slot: number};

/** A file (its index) for a slot. */
export type Assignment = {file: number; slot: number};

export type SlotStep = {slots: Slots; run?: Assignment; ahead?: Assignment};

export const emptySlots = (total: number, count: number): Slots => ({total, next: 0, count, ahead: new Map()});

function without(ahead: ReadonlyMap<number, number>, slot: number): Map<number, number> {
	const rest = new Map(ahead);
	rest.delete(slot);
	return rest;
}

/**
A free slot runs the file it took ahead, else the next one, else (the queue being empty) the first file
another slot took ahead and has not run yet, so that no file waits behind a long one while a slot idles.
A busy slot takes the next file ahead when `lookAhead`, it has none yet, and every slot has had a file.
*/
export function assign(slots: Slots, {type, slot}: SlotSignal, lookAhead: boolean): SlotStep {
	if (type === 'busy') {
		if (!lookAhead || slots.ahead.has(slot) || slots.next >= slots.total || slots.next < slots.count) {
			return {slots};
		}

		const ahead = {file: slots.next, slot};
		return {slots: {...slots, next: slots.next + 1, ahead: new Map(slots.ahead).set(slot, ahead.file)}, ahead};
	}

	const own = slots.ahead.get(slot);
	if (own !== undefined) {
		return {slots: {...slots, ahead: without(slots.ahead, slot)}, run: {file: own, slot}};
	}

	if (slots.next < slots.total) {
		return {slots: {...slots, next: slots.next + 1}, run: {file: slots.next, slot}};
	}

	const [other, file] = [...slots.ahead].reduce<[number, number] | [undefined, undefined]>(
		(first, entry) => (first[1] === undefined || entry[1] < first[1] ? entry : first),
		[undefined, undefined],
	);
	return other === undefined ? {slots} : {slots: {...slots, ahead: without(slots.ahead, other)}, run: {file, slot}};
}
