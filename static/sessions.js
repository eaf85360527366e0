/* sessions.js — enhancements of the i-milo session page (agenda.md §5.3); the page works
 * without. The staging steps (search, add, unregister dialog, re-register, undo) post the
 * same form as without JavaScript, but in the background: the server's re-rendered
 * "Gérez les inscriptions" block replaces the current one in place, with the remaining
 * places recomputed, so the page neither reloads nor scrolls. "Enregistrer" stays a plain
 * submission (it redirects). The motive's counter "N / 250" follows the typing
 * (characters, as i-milo counts them); an open dialog takes the focus. */
(function () {
	function bind(root) {
		root.querySelectorAll('[data-cej-session-counter]').forEach(function (area) {
			var out = document.getElementById(area.getAttribute('data-cej-session-counter'));
			var max = area.getAttribute('data-cej-limit');
			area.addEventListener('input', function () {
				out.textContent = Array.from(area.value).length + ' / ' + max;
			});
		});
		// The comment block follows its radio (cej.js does it on load only).
		root.querySelectorAll('[data-cej-when-checked]').forEach(function (el) {
			var box = document.getElementById(el.getAttribute('data-cej-when-checked'));
			if (!box || !box.form) return;
			function sync() { el.hidden = !box.checked; }
			box.form.addEventListener('change', sync);
			sync();
		});
	}

	function focusIn(root) {
		var target = root.querySelector('[data-cej-focus]')
			|| root.querySelector('#desinscription input[name="motif"]');
		if (target) target.focus();
		return !!target;
	}

	function enhance(section) {
		var form = section.querySelector('form[data-cej-staging]');
		if (!form) return;
		form.addEventListener('submit', function (event) {
			var by = event.submitter;
			if (form.hasAttribute('data-cej-plain') || !by || by.name !== 'op'
			    || by.value === 'enregistrer') return;
			event.preventDefault();
			var body = new URLSearchParams(new FormData(form, by));
			fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin' })
				.then(function (res) { return res.ok || res.status === 400 ? res.text() : Promise.reject(res.status); })
				.then(function (html) {
					var doc = new DOMParser().parseFromString(html, 'text/html');
					var fresh = doc.getElementById('inscriptions');
					var error = doc.querySelector('#erreur');
					if (!fresh) return Promise.reject(0);
					var old = document.getElementById('erreur');
					if (old) old.remove();
					section.replaceWith(fresh);
					if (error) fresh.prepend(error);
					bind(fresh);
					enhance(fresh);
					if (!focusIn(fresh)) {
						var again = fresh.querySelector('#q:not([disabled])') || fresh.querySelector('h2');
						if (again) { if (again.tagName === 'H2') again.tabIndex = -1; again.focus(); }
					}
				})
				.catch(function () {
					// Anything unexpected: the plain submission, which shows it.
					form.setAttribute('data-cej-plain', '');
					form.requestSubmit(by);
				});
		});
	}

	bind(document);
	focusIn(document);
	var section = document.getElementById('inscriptions');
	if (section) enhance(section);
})();
