/* cej.js — small enhancements; every page works without them.
 * Buttons marked data-cej-once are disabled once their form is submitted, so a double
 * click cannot send the request twice (the server refuses duplicates anyway). */
document.addEventListener('submit', function (event) {
	var form = event.target;
	// A script that sends the form itself (fetch) keeps its buttons usable.
	if (event.defaultPrevented) return;
	form.querySelectorAll('button[data-cej-once]').forEach(function (button) {
		// Disabled after this tick, so the submission itself goes through.
		setTimeout(function () {
			button.disabled = true;
			button.setAttribute('aria-busy', 'true');
		}, 0);
	});
});

/* ---- Forms of actions (actions.md §3) ---- */
(function () {
	// A field shown only for one value of another (data-cej-when="name=value"): without
	// JavaScript every field stays visible and the server reads the relevant one.
	function syncWhen(form) {
		form.querySelectorAll('[data-cej-when]').forEach(function (el) {
			var rule = el.getAttribute('data-cej-when').split('=');
			var field = form.elements[rule[0]];
			var value = field && (field.value !== undefined ? field.value : '');
			if (field && field.length !== undefined && field.tagName === undefined) {
				value = '';
				Array.prototype.forEach.call(field, function (f) { if (f.checked) value = f.value; });
			}
			el.hidden = value !== rule[1];
		});
		// A box forced on for one value of another (the counselor's presence at an
		// individual interview, agenda.md §2): checked and locked; the server forces it too.
		form.querySelectorAll('[data-cej-forced]').forEach(function (box) {
			var rule = box.getAttribute('data-cej-forced').split('=');
			var field = form.elements[rule[0]];
			var forced = !!field && field.value === rule[1];
			if (forced) box.checked = true;
			box.disabled = forced;
		});
	}
	document.querySelectorAll('form').forEach(function (form) {
		if (!form.querySelector('[data-cej-when], [data-cej-forced]')) return;
		syncWhen(form);
		form.addEventListener('change', function () { syncWhen(form); });
	});
	document.querySelectorAll('[data-cej-js-only]').forEach(function (el) { el.hidden = false; });
	// The buttons that only stand in for a script (a select that saves on change).
	document.querySelectorAll('[data-cej-nojs]').forEach(function (el) { el.hidden = true; });
	// Shortcut buttons fill a date field.
	document.addEventListener('click', function (event) {
		var b = event.target.closest('[data-cej-date]');
		if (!b) return;
		var input = document.getElementById(b.getAttribute('data-cej-target'));
		if (input) {
			input.value = b.getAttribute('data-cej-date');
			input.dispatchEvent(new Event('change', { bubbles: true }));
		}
	});
	// Switching "À faire" / "Terminée" resets the dates (the spec's rule).
	document.querySelectorAll('[data-cej-reset-dates]').forEach(function (radio) {
		radio.addEventListener('change', function () {
			radio.form.querySelectorAll('input[type=date]').forEach(function (d) { d.value = ''; });
		});
	});
	// "{n}/250" counters.
	document.querySelectorAll('[data-cej-counter]').forEach(function (area) {
		var out = document.getElementById(area.getAttribute('data-cej-counter'));
		var max = area.getAttribute('maxlength');
		area.addEventListener('input', function () {
			out.textContent = Array.from(area.value).length + '/' + max;
		});
	});
	// Confirm before leaving a form with unsaved changes.
	document.querySelectorAll('form[data-cej-unsaved]').forEach(function (form) {
		var dirty = false;
		form.addEventListener('input', function () { dirty = true; });
		form.addEventListener('change', function () { dirty = true; });
		form.addEventListener('submit', function () { dirty = false; });
		window.addEventListener('beforeunload', function (event) {
			// data-cej-leaving: the page's own dialog already asked (event forms, below).
			if (dirty && !form.hasAttribute('data-cej-leaving')) { event.preventDefault(); event.returnValue = ''; }
		});
	});
	// The error summary takes the focus after a refused submission.
	var summary = document.querySelector('[data-cej-focus]');
	if (summary) summary.focus();
	// Status radios save on change.
	document.querySelectorAll('form[data-cej-autosubmit]').forEach(function (form) {
		form.addEventListener('change', function () { form.requestSubmit(); });
	});
	// Period selector: swap the blocks in place (space-separated ids: the fiche's week block
	// and, when open, its Agenda tab) and announce the new period (aria-live, the first
	// block's); without JavaScript the links load the page.
	document.addEventListener('click', function (event) {
		var link = event.target.closest('a[data-cej-swap]');
		if (!link) return;
		var ids = link.getAttribute('data-cej-swap').split(' ');
		event.preventDefault();
		fetch(link.href, { credentials: 'same-origin' }).then(function (res) {
			return res.ok ? res.text() : Promise.reject(res.status);
		}).then(function (html) {
			var doc = new DOMParser().parseFromString(html, 'text/html');
			var pairs = ids.map(function (id) {
				return [doc.getElementById(id), document.getElementById(id)];
			});
			var live = document.getElementById(ids[0] + '-annonce');
			if (pairs.some(function (p) { return !p[0] || !p[1]; })) { window.location = link.href; return; }
			pairs.forEach(function (p) { p[1].replaceWith(document.importNode(p[0], true)); });
			history.replaceState(null, '', link.href);
			if (live) live.textContent = 'Période affichée : ' + pairs[0][0].getAttribute('data-cej-period');
		}).catch(function () { window.location = link.href; });
	});
})();

/* ---- SNP qualification (qualify_web.c, pilotage_web.c; actions.md §5) ---- */
(function () {
	var NONE = 'Sélectionnez au moins un élément ci-dessous pour commencer à qualifier';
	var RULES = {
		beneficiaries: 'Vous ne pouvez pas qualifier les actions de plusieurs bénéficiaires. Sélectionnez seulement un ou une bénéficiaire.',
		missing: 'Vous ne pouvez pas qualifier une ou plusieurs actions sans catégorie. Cliquez sur l’action pour pouvoir la modifier et lui ajouter une catégorie.',
		categories: 'Vous ne pouvez pas qualifier en une seule fois des actions de catégories différentes. Sélectionnez des actions d’une même catégorie.',
		tooMany: 'Vous ne pouvez pas qualifier plus de 10 actions en une seule fois.'
	};

	// The rule a selection breaks, in the server's order (action_batch_refusal), or null.
	function refusal(boxes) {
		var first = boxes[0];
		if (boxes.some(function (b) { return b.dataset.beneficiary !== first.dataset.beneficiary; }))
			return RULES.beneficiaries;
		if (boxes.some(function (b) { return !b.dataset.category; }))
			return RULES.missing;
		if (boxes.some(function (b) { return b.dataset.category !== first.dataset.category; }))
			return RULES.categories;
		return boxes.length > 10 ? RULES.tooMany : null;
	}

	// The "Qualification impossible." alert, made once after the banner.
	function alertOf(form, banner) {
		var alert = form.querySelector('[data-cej-qualif-alert]');
		if (alert) return alert;
		alert = document.createElement('div');
		alert.className = 'fr-alert fr-alert--error fr-alert--sm fr-mb-2w';
		alert.setAttribute('data-cej-qualif-alert', '');
		alert.setAttribute('role', 'alert');
		alert.hidden = true;
		alert.innerHTML = '<p class="fr-alert__title">Qualification impossible.</p><p></p>';
		banner.insertAdjacentElement('afterend', alert);
		return alert;
	}

	// The batch bar of the fiche's and Pilotage's Actions tabs: banner, buttons, alert.
	function sync(form) {
		var banner = form.querySelector('[data-cej-qualif-banner]');
		var boxes = Array.prototype.filter.call(
			form.querySelectorAll('input[type=checkbox][name=action]'),
			function (b) { return b.checked; });
		var n = boxes.length;
		var why = n ? refusal(boxes) : null;
		var alert = alertOf(form, banner);
		banner.textContent = n ? n + ' action(s) sélectionnée(s). S’agit-il de SNP ou de non SNP ?' : NONE;
		alert.hidden = !why;
		alert.lastChild.textContent = why || '';
		form.querySelectorAll('button[name=type]').forEach(function (button) {
			button.disabled = !n || !!why;
		});
	}

	document.querySelectorAll('form').forEach(function (form) {
		if (!form.querySelector('[data-cej-qualif-banner]')) return;
		sync(form);
		form.addEventListener('change', function (event) {
			if (event.target.name === 'action') sync(form);
		});
	});

	// The single page: "Action non SNP" hides the SNP fields and renames the button;
	// without JavaScript everything stays visible and the server ignores them.
	document.querySelectorAll('form[data-cej-qualify]').forEach(function (form) {
		var select = form.elements.categorie;
		var submit = form.querySelector('button[data-cej-snp-label]');
		function apply() {
			var snp = select.value !== 'NON_SNP';
			form.querySelectorAll('[data-cej-snp-only]').forEach(function (el) { el.hidden = !snp; });
			submit.textContent = submit.getAttribute(snp ? 'data-cej-snp-label' : 'data-cej-non-snp-label');
		}
		apply();
		select.addEventListener('change', apply);
	});

	// "{n}/255" of a field that accepts more while typing (refused on submit).
	document.querySelectorAll('[data-cej-limit-counter]').forEach(function (area) {
		var out = document.getElementById(area.getAttribute('data-cej-limit-counter'));
		var max = area.getAttribute('data-cej-limit');
		area.addEventListener('input', function () {
			out.textContent = Array.from(area.value).length + '/' + max;
		});
	});
})();

/* ---- Messaging composer: Enter inserts a newline, Ctrl/Cmd+Enter sends (§3) ---- */
document.addEventListener('keydown', function (event) {
	var area = event.target;
	if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
	if (!area.matches || !area.matches('textarea[data-cej-ctrl-enter]')) return;
	event.preventDefault();
	area.form.requestSubmit();
});

/* ---- A picked file shows as a chip with the button "Supprimer la pièce jointe {nom}"
 * (messaging.md §3, §8); without JavaScript the browser's own file input shows it. The
 * input stays in the form, hidden while the chip stands for it. ---- */
document.querySelectorAll('input[type=file][data-cej-file-chip]').forEach(function (input) {
	var chip = document.createElement('p');
	var icon = document.createElement('span');
	var name = document.createElement('span');
	var remove = document.createElement('button');
	chip.className = 'cej-file-chip';
	icon.className = 'fr-icon-attachment-line fr-icon--sm';
	icon.setAttribute('aria-hidden', 'true');
	remove.type = 'button';
	remove.className = 'fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-close-line';
	chip.append(icon, name, remove);
	input.insertAdjacentElement('afterend', chip);
	function show() {
		var file = input.files && input.files[0];
		chip.hidden = !file;
		input.hidden = !!file;
		if (!file) return;
		name.textContent = file.name;
		remove.textContent = remove.title = 'Supprimer la pièce jointe ' + file.name;
	}
	input.addEventListener('change', function () {
		show();
		if (!input.hidden) return;
		remove.focus();  // the input it replaces had the focus
	});
	remove.addEventListener('click', function () {
		input.value = '';
		show();
		input.focus();
	});
	show();  // a file the browser kept on going back
});

/* ---- Messaging: "Aller au message" (messaging.md §6) ---- */
// The link opens the conversation on a window holding the message, its fragment naming
// it: the browser scrolls there by itself; the focus follows, so that a screen reader
// reads the message. Bubbles carry tabindex="-1" for this.
(function () {
	var id = decodeURIComponent(window.location.hash.slice(1));
	var target = id.indexOf('message-') === 0 && document.getElementById(id);
	if (target) target.focus();
})();

/* ---- A live swap keeps the message menu the user opened ----
 * The page's stream re-renders the thread when a message comes, is read, edited or
 * deleted (the counselor's own edit included): an "Actions sur le message" menu open under
 * the user's pointer would close, and its focus be lost. The menu is found again by the id
 * of the message that holds it. */
(function () {
	var reopen = [];
	document.addEventListener('htmx:beforeCleanupElement', function (event) {
		var menu = event.target;
		if (menu.tagName !== 'DETAILS' || !menu.open || !menu.parentElement || !menu.parentElement.id) return;
		reopen.push({ id: menu.parentElement.id, focused: menu.contains(document.activeElement) });
	});
	document.addEventListener('htmx:afterSwap', function () {
		reopen.splice(0).forEach(function (was) {
			var owner = document.getElementById(was.id);
			var menu = owner && owner.querySelector(':scope > details');
			if (!menu) return;
			menu.open = true;
			if (was.focused) menu.querySelector('summary').focus();
		});
	});
})();

/* ---- The composer's "Envoyer" is disabled while both the text and the file are empty
 * (messaging.md §3). Without JavaScript it stays enabled and the server answers with the
 * field's error. ---- */
document.querySelectorAll('button[data-cej-needs-content]').forEach(function (button) {
	var form = button.form;
	var text = form.querySelector('textarea');
	var file = form.querySelector('input[type=file]');
	function update() {
		button.disabled = !(text && text.value.trim()) && !(file && file.files && file.files.length);
	}
	form.addEventListener('input', update);
	form.addEventListener('change', update);
	form.addEventListener('click', function () { setTimeout(update, 0); });  // the chip's removal
	update();
});

/* ---- New messages on the counselor's pages: favicon and sound (messaging.md §4) ----
 * The server renders the right favicon with each page. Here, each "message" / "lu" event
 * of the page's stream, and each fragment htmx swaps (opening a conversation marks it
 * read), asks /messagerie/non-lus again; an incoming message newer than the page knew
 * plays a short tone when "Notifications sonores" is on. Pages without a stream of their
 * own open one. */
(function () {
	var body = document.body;
	var url = body.getAttribute('data-cej-alerts');
	var icon = document.querySelector('link[rel="icon"]');
	if (!url || !icon) return;
	var lastIncoming = Number(body.getAttribute('data-cej-last-incoming')) || 0;
	var sound = body.hasAttribute('data-cej-sound');
	var AudioCtx = window.AudioContext || window.webkitAudioContext;
	var audio = null, timer = null;

	// Browsers start an AudioContext suspended until the page gets a gesture: made (or
	// resumed) at the first one, so that a later message can be heard.
	function unlock() {
		if (!AudioCtx) return null;
		audio = audio || new AudioCtx();
		if (audio.state === 'suspended') audio.resume();
		return audio;
	}
	function tone() {
		var ctx = unlock();
		if (!ctx) return;
		var t = ctx.currentTime, osc = ctx.createOscillator(), gain = ctx.createGain();
		osc.type = 'sine';
		osc.frequency.setValueAtTime(880, t);
		osc.frequency.setValueAtTime(1320, t + 0.12);
		gain.gain.setValueAtTime(0.0001, t);
		gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
		gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.35);
		osc.connect(gain);
		gain.connect(ctx.destination);
		osc.start(t);
		osc.stop(t + 0.36);
	}
	if (sound) {
		['pointerdown', 'keydown'].forEach(function (name) {
			document.addEventListener(name, unlock, { once: true });
		});
	}

	function refresh() {
		timer = null;
		fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
			.then(function (res) { return res.ok ? res.json() : null; })
			.then(function (s) {
				if (!s) return;
				icon.href = body.getAttribute(s.unread_conversations > 0
					? 'data-cej-favicon-notification' : 'data-cej-favicon');
				if (s.last_incoming_at > lastIncoming) {
					lastIncoming = s.last_incoming_at;
					if (sound) tone();
				}
			})
			.catch(function () { /* the next event asks again */ });
	}
	// One request for a burst (several fragments listen to the same event).
	function later() {
		if (!timer) timer = setTimeout(refresh, 150);
	}

	body.addEventListener('htmx:sseMessage', function (event) {
		var type = event.detail && event.detail.type;
		if (type === 'message' || type === 'lu') later();
	});
	body.addEventListener('htmx:afterSettle', later);
	if (!document.querySelector('[sse-connect]') && window.EventSource) {
		var stream = new EventSource('/evenements');
		stream.addEventListener('message', later);
		stream.addEventListener('lu', later);
		stream.addEventListener('reset', later);  // events were dropped: ask anyway
		stream.addEventListener('fin', function () { stream.close(); });
	}
})();

/* ---- The welcome modal of the mobile space (messaging.md §12) ----
 * The server shows it open until dismissed, CSS only on narrow screens; here it becomes
 * modal there (the page behind inert, focus on "Terminer"), and Escape means "Terminer". */
(function () {
	var dialog = document.getElementById('bienvenue-mobile');
	if (!dialog || !dialog.showModal) return;
	var done = dialog.querySelector('[data-cej-welcome-done]');
	var narrow = window.matchMedia('(max-width: 47.99em)');
	var modal = false;
	function sync() {
		if (narrow.matches && !modal) {
			dialog.close();
			dialog.showModal();
			modal = true;
			done.focus();
		} else if (!narrow.matches && modal) {
			// Back to the plain open block CSS hides: no focus moves (show() would).
			dialog.close();
			dialog.setAttribute('open', '');
			modal = false;
		}
	}
	dialog.addEventListener('cancel', function (event) {
		event.preventDefault();
		done.form.requestSubmit(done);
	});
	narrow.addEventListener('change', sync);
	sync();
})();

/* ---- The event form (agenda_web.c; agenda.md §2): the maximum of participants shown
 * with its switch, the beneficiaries' picker, and the question before leaving ---- */
(function () {
	// A block shown while a box is checked (data-cej-when-checked="name"); without
	// JavaScript it stays visible and the server reads it only when the box is checked.
	document.querySelectorAll('[data-cej-when-checked]').forEach(function (el) {
		var box = document.getElementById(el.getAttribute('data-cej-when-checked'));
		if (!box) return;
		function sync() { el.hidden = !box.checked; }
		box.addEventListener('change', sync);
		sync();
	});

	// Case- and accent-insensitive, as the server's search (text_fold).
	function fold(s) {
		return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
	}

	// The picker: the list filters as one types (every word must match), the chosen ones
	// show as chips (each removable), "Bénéficiaires (N)" counts them.
	document.querySelectorAll('[data-cej-picker]').forEach(function (picker) {
		var search = picker.querySelector('[data-cej-picker-search]');
		var chips = picker.querySelector('[data-cej-picker-chips]');
		var count = picker.querySelector('[data-cej-picker-count]');
		var none = picker.querySelector('[data-cej-picker-none]');
		var all = picker.querySelector('[data-cej-picker-all]');
		var rows = Array.prototype.slice.call(picker.querySelectorAll('[data-cej-pick]'));
		var kept = parseInt(count.textContent, 10) - rows.filter(function (row) {
			return row.querySelector('input').checked;
		}).length;
		function box(row) { return row.querySelector('input[type=checkbox]'); }
		function update() {
			chips.replaceChildren();
			var n = 0;
			rows.forEach(function (row) {
				if (!box(row).checked) return;
				n++;
				var name = row.getAttribute('data-cej-pick');
				var li = document.createElement('li');
				var chip = document.createElement('button');
				chip.type = 'button';
				chip.className = 'fr-tag fr-tag--sm fr-tag--dismiss';
				chip.textContent = name;
				chip.setAttribute('aria-label', 'Retirer ' + name);
				chip.addEventListener('click', function () {
					box(row).checked = false;
					box(row).dispatchEvent(new Event('change', { bubbles: true }));
					(search || picker).focus();
				});
				li.append(chip);
				chips.append(li);
			});
			count.textContent = String(kept + n);
		}
		var empty = none && none.textContent;
		// The chosen ones stay listed; the message says when nothing else matches.
		function filter() {
			var words = fold(search.value).split(/[\s-]+/).filter(Boolean);
			var found = 0;
			rows.forEach(function (row) {
				var name = fold(row.getAttribute('data-cej-pick'));
				var match = words.every(function (w) { return name.indexOf(w) >= 0; });
				row.hidden = !match && !box(row).checked;
				if (match && !box(row).checked) found++;
			});
			if (!none) return;
			none.hidden = words.length ? found > 0 : rows.length > 0;
			none.textContent = words.length ? 'Aucun bénéficiaire ne correspond à cette recherche.' : empty;
		}
		picker.addEventListener('change', function (event) {
			if (event.target.type === 'checkbox') update();
		});
		if (search) {
			search.addEventListener('input', filter);
			// Enter in the search field filters; it does not send the form.
			search.addEventListener('keydown', function (event) {
				if (event.key === 'Enter') event.preventDefault();
			});
		}
		if (all) all.addEventListener('click', function () {
			rows.forEach(function (row) {
				if (!row.hidden && row.hasAttribute('data-cej-mine')) box(row).checked = true;
			});
			picker.dispatchEvent(new Event('change', { bubbles: true }));
			update();
		});
		update();
	});

	// Leaving a changed event form asks first, in the page's own words (agenda.md §2):
	// a link followed opens the dialog; "Quitter la page" follows it. Closing the tab or
	// reloading keeps the browser's own question (data-cej-unsaved).
	document.querySelectorAll('form[data-cej-leave]').forEach(function (form) {
		var dialog = document.getElementById(form.getAttribute('data-cej-leave'));
		if (!dialog || !dialog.showModal) return;
		var dirty = false, target = null;
		form.addEventListener('input', function () { dirty = true; });
		form.addEventListener('change', function () { dirty = true; });
		form.addEventListener('submit', function () { dirty = false; });
		document.addEventListener('click', function (event) {
			var link = event.target.closest('a[href]');
			if (!dirty || !link || event.defaultPrevented || link.target === '_blank' ||
			    event.ctrlKey || event.metaKey || event.shiftKey || link.getAttribute('href').charAt(0) === '#') return;
			event.preventDefault();
			target = link.href;
			dialog.showModal();
		});
		dialog.querySelector('[data-cej-leave-stay]').addEventListener('click', function () {
			dialog.close();
		});
		dialog.querySelector('[data-cej-leave-go]').addEventListener('click', function () {
			form.setAttribute('data-cej-leaving', '');
			window.location.href = target;
		});
	});
})();
