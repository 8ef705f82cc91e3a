/**
The report page's script, inlined: the status filters and the search hide files (and dim their bars),
and a bar or link to a file opens it and shows it. Plain DOM, no library: the page is drawn already.
*/
export const pageScript = `
(() => {
	const files = [...document.querySelectorAll('#files > li')];
	const bars = [...document.querySelectorAll('.bar')];
	const search = document.getElementById('search');
	const shown = document.getElementById('shown');
	const boxes = [...document.querySelectorAll('.filter input')];
	let texts;
	const apply = () => {
		texts ??= files.map(file => file.textContent.toLowerCase());
		const wanted = new Set(boxes.filter(box => box.checked).map(box => box.value));
		const words = search.value.toLowerCase().trim();
		const hidden = new Set();
		let count = 0;
		files.forEach((file, index) => {
			const hide = !wanted.has(file.dataset.status) || (words !== '' && !texts[index].includes(words));
			file.hidden = hide;
			if (hide) {
				hidden.add(file.id);
			} else {
				count++;
			}
		});
		for (const bar of bars) {
			bar.classList.toggle('dim', hidden.has(bar.dataset.file));
		}

		shown.textContent = count === files.length ? '' : count + ' of ' + files.length + ' files shown';
	};

	search.addEventListener('input', apply);
	for (const box of boxes) {
		box.addEventListener('change', apply);
	}

	const open = id => {
		const file = document.getElementById(id);
		if (!file || !file.classList.contains('file')) {
			return;
		}

		file.hidden = false;
		file.querySelector('details').open = true;
		file.scrollIntoView({block: 'nearest'});
	};

	document.addEventListener('click', event => {
		const link = event.target.closest('a[href^="#f"]');
		if (link) {
			event.preventDefault();
			history.replaceState(null, '', link.getAttribute('href'));
			open(link.getAttribute('href').slice(1));
		}
	});
	if (location.hash) {
		open(location.hash.slice(1));
	}
})();
`;
