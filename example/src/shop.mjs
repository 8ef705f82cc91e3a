/** A small shop: a catalogue, carts, discount codes, delivery and orders. Prices are in cents. */

export const catalogue = [
	{sku: 'tea', name: 'Green tea', price: 450},
	{sku: 'teapot', name: 'Cast-iron teapot', price: 3200},
	{sku: 'cups', name: 'Tea cups (set of 4)', price: 1599},
	{sku: 'honey', name: 'Heather honey', price: 899},
];

export function product(sku) {
	const found = catalogue.find(item => item.sku === sku);
	if (!found) {
		throw new Error(`no product "${sku}"`);
	}

	return found;
}

export function search(words) {
	const wanted = words.toLowerCase();
	return catalogue.filter(item => item.name.toLowerCase().includes(wanted)).map(item => item.sku);
}

const codes = {TEA10: 10, WELCOME20: 20};

export class Cart {
	lines = new Map();
	discountPercent = 0;

	add(sku, quantity = 1) {
		product(sku);
		this.lines.set(sku, (this.lines.get(sku) ?? 0) + quantity);
	}

	remove(sku, quantity = Infinity) {
		const left = (this.lines.get(sku) ?? 0) - quantity;
		if (left > 0) {
			this.lines.set(sku, left);
		} else {
			this.lines.delete(sku);
		}
	}

	count() {
		return [...this.lines.values()].reduce((sum, quantity) => sum + quantity, 0);
	}

	subtotal() {
		return [...this.lines].reduce((sum, [sku, quantity]) => sum + (product(sku).price * quantity), 0);
	}

	applyCode(code) {
		const percent = codes[code];
		if (percent === undefined) {
			throw new Error(`unknown code ${code}`);
		}

		this.discountPercent = percent;
	}

	discount() {
		return Math.round(this.subtotal() * this.discountPercent / 100);
	}

	/** Free from 50.00: the shop's promise. The comparison is the bug the delivery feature shows. */
	delivery() {
		return this.subtotal() - this.discount() > 5000 ? 0 : 495;
	}

	total() {
		return this.subtotal() - this.discount() + this.delivery();
	}
}

/**
Order numbers restart at 1 each day; like many apps, the shop keeps the day's sequence in memory.
Two features that each expect "the day's first order" can only both pass in processes of their own.
*/
let lastOrderNumber = 0;

export function placeOrder(cart, {gift = false} = {}) {
	if (cart.count() === 0) {
		throw new Error('the cart is empty');
	}

	lastOrderNumber += 1;
	return {number: lastOrderNumber, total: cart.total(), giftWrapped: gift};
}

/** The payment provider answers slowly. */
export async function pay(order, {answerAfterMs}) {
	await new Promise(resolve => {
		setTimeout(resolve, answerAfterMs);
	});
	return {order: order.number, amount: order.total, status: 'paid'};
}

export function cents(text) {
	return Math.round(Number(text) * 100);
}
