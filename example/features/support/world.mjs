import {setWorldConstructor} from '@cucumber/cucumber';
import {Cart} from '../../src/shop.mjs';

/** Each scenario gets a new cart; the shop module (and its order sequence) stays for the whole process. */
setWorldConstructor(class ShopWorld {
	cart = new Cart();
	order = undefined;
	error = undefined;
	results = [];
	payment = undefined;
});
