import assert from 'node:assert/strict';
import {Given, Then, When} from '@cucumber/cucumber';
import {cents, pay, placeOrder, search} from '../../src/shop.mjs';

Given('an empty cart', function () {
	assert.equal(this.cart.count(), 0);
});

Given('a cart with {int} {word}', function (quantity, sku) {
	this.cart.add(sku, quantity);
});

When('I add {int} {word}', function (quantity, sku) {
	this.cart.add(sku, quantity);
});

When('I try to add {int} {word}', function (quantity, sku) {
	try {
		this.cart.add(sku, quantity);
	} catch (error) {
		this.error = error;
	}
});

When('I remove {int} {word}', function (quantity, sku) {
	this.cart.remove(sku, quantity);
});

When('I remove every {word}', function (sku) {
	this.cart.remove(sku);
});

When('I search for {string}', function (words) {
	this.results = search(words);
});

When('I use the code {word}', function (code) {
	try {
		this.cart.applyCode(code);
	} catch (error) {
		this.error = error;
	}
});

When('I place the order', function () {
	this.order = placeOrder(this.cart);
});

When('I place the order as a gift', function () {
	this.order = placeOrder(this.cart, {gift: true});
});

When('the payment provider takes {int} seconds to answer', async function (seconds) {
	this.payment = await pay(this.order, {answerAfterMs: seconds * 1000});
});

Then('the cart holds {int} item(s)', function (count) {
	assert.equal(this.cart.count(), count);
});

Then('the subtotal is {float}', function (amount) {
	assert.equal(this.cart.subtotal(), cents(amount));
});

Then('the discount is {float}', function (amount) {
	assert.equal(this.cart.discount(), cents(amount));
});

Then('delivery costs {float}', function (amount) {
	assert.equal(this.cart.delivery(), cents(amount));
});

Then('delivery is free', function () {
	assert.equal(this.cart.delivery(), 0);
});

Then('the total is {float}', function (amount) {
	assert.equal(this.cart.total(), cents(amount));
});

Then('I am told {string}', function (message) {
	assert.equal(this.error?.message, message);
});

Then('I find {string}', function (list) {
	assert.deepEqual(this.results, list === '' ? [] : list.split(', '));
});

Then('I find nothing', function () {
	assert.deepEqual(this.results, []);
});

Then('the order number is {int}', function (number) {
	assert.equal(this.order.number, number);
});

Then('the order is gift-wrapped', function () {
	assert.equal(this.order.giftWrapped, true);
});

Then('the order is paid', function () {
	assert.equal(this.payment.status, 'paid');
	assert.equal(this.payment.amount, this.order.total);
});
