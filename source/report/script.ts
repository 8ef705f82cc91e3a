/**
The report page's script, inlined: the status filters and the search hide files (and pale their bars),
and a file's row or bar opens it, its body made from the page's JSON then. Plain DOM, no library: the
page is drawn already. A search reads each file's text once, and writes only what changed.
*/
export const pageScript = `
(() => {
	const files = [...document.querySelectorAll('#files .file')];
	const blocks = [...document.querySelectorAll('#files .block')];
	let bodies;
	const bodyOf = id => (bodies ??= JSON.parse(document.getElementById('bodies').textContent))[id] ?? '';
	const bars = [...document.querySelectorAll('.bar')];
	const timeline = document.querySelector('.timeline');
	const search = document.getElementById('search');
	const shown = document.getElementById('shown');
	const boxes = [...document.querySelectorAll('.filter input')];
	const entities = {'&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'"};
	const plain = html => html.replace(/<[^>]*>/g, ' ').replace(/&(lt|gt|amp|quot|#39);/g, entity => entities[entity]);
	let texts;
	const read = () => {
		texts ??= files.map(file => (file.firstChild.textContent + ' ' + plain(bodyOf(file.id))).toLowerCase());
	};
	const apply = () => {
		read();
		const wanted = new Set(boxes.filter(box => box.checked).map(box => box.value));
		const words = search.value.toLowerCase().trim();
		const hidden = new Set();
		files.forEach((file, index) => {
			const hide = !wanted.has(file.dataset.status) || (words !== '' && !texts[index].includes(words));
			if (file.hidden !== hide) {
				file.hidden = hide;
			}

			if (hide) {
				hidden.add(file.id);
			}
		});
		for (const block of blocks) {
			const empty = [...block.children].every(file => file.hidden);
			if (block.hidden !== empty) {
				block.hidden = empty;
			}
		}

		// A veil over the lanes pales every bar but those of the files shown, raised above it: a search writes to the few bars it finds, not to thousands.
		timeline?.classList.toggle('filtered', hidden.size > 0);
		for (const bar of bars) {
			const hit = hidden.size > 0 && !hidden.has(bar.dataset.file);
			if (bar.classList.contains('hit') !== hit) {
				bar.classList.toggle('hit', hit);
			}
		}

		const count = files.length - hidden.size;
		shown.textContent = count === files.length ? '' : count + ' of ' + files.length + ' files shown';
	};

	search.addEventListener('input', apply);
	for (const box of boxes) {
		box.addEventListener('change', apply);
	}

	const toggle = (file, open) => {
		let body = file.querySelector('.body');
		if (open && !body) {
			body = document.createElement('div');
			body.className = 'body';
			body.innerHTML = bodyOf(file.id);
			file.append(body);
		}

		if (body) {
			body.hidden = !open;
		}

		file.classList.toggle('open', open);
		file.querySelector('.summary').setAttribute('aria-expanded', String(open));
	};

	const show = id => {
		const file = document.getElementById(id);
		if (!file || !file.classList.contains('file')) {
			return;
		}

		file.hidden = false;
		file.parentElement.hidden = false;
		toggle(file, true);
		file.scrollIntoView({block: 'nearest'});
	};

	document.addEventListener('click', event => {
		const link = event.target.closest('a[href^="#f"]');
		if (!link) {
			return;
		}

		event.preventDefault();
		const file = link.closest('.file');
		if (link.classList.contains('summary') && file) {
			toggle(file, !file.classList.contains('open'));
			return;
		}

		history.replaceState(null, '', link.getAttribute('href'));
		show(link.getAttribute('href').slice(1));
	});
	if (location.hash) {
		show(location.hash.slice(1));
	}
})();
`;
