/* cej-app.js — enhancements of the beneficiary app (youth-app.md §9, §14, §15); without
 * them every screen works by plain forms and links.
 *
 * Messages composer: the draft stays on the device (localStorage, one entry per account)
 * until the server has stored the message. A message shows at once as "Envoi en cours",
 * is posted with fetch (Accept: application/json, a sending key of its own), then gives way
 * to the server's rendering ("Envoyé", later "Lu" through the event stream). On a network
 * failure or a server error it stays as "L’envoi a échoué" with "Réessayer", which posts
 * the same text with the same key: the server stores a message once per key, so a retry
 * after a lost answer never duplicates it. Nothing is resent by itself when the network
 * comes back. A refused text (too long) goes back to the field with the server's message.
 * "Copier" in a message's menu needs the clipboard API, so it starts hidden.
 * Logout clears what the app keeps on the device. */
(function () {
	'use strict';
	var PREFIX = 'cej:';
	var TIMEOUT_MS = 20000;

	// localStorage may be missing or refuse (private browsing, quota): the state then lives
	// in the page only.
	var device = {
		get: function (key) {
			try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
		},
		set: function (key, value) {
			try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* page only */ }
		},
		clearApp: function () {
			try {
				for (var i = localStorage.length - 1; i >= 0; i--) {
					var k = localStorage.key(i);
					if (k && k.indexOf(PREFIX) === 0) localStorage.removeItem(k);
				}
			} catch (e) { /* nothing stored */ }
		}
	};

	document.addEventListener('submit', function (event) {
		if (event.target.matches('form[action="/app/deconnexion"]')) device.clearApp();
	});

	var form = document.querySelector('form[data-cej-composer]');
	if (!form) return;
	var area = form.elements.message;
	var fil = document.getElementById('fil');
	var outbox = document.getElementById('fil-envois');
	var live = document.getElementById('messages-annonce');
	var storageKey = PREFIX + 'messages:' + form.getAttribute('data-cej-composer');

	// { brouillon: the field's text, envois: [{cle, texte}] not yet stored by the server }
	var saved = device.get(storageKey) || {};
	var state = {
		brouillon: typeof saved.brouillon === 'string' ? saved.brouillon : '',
		envois: Array.isArray(saved.envois) ? saved.envois.filter(function (e) {
			return e && typeof e.cle === 'string' && /^[A-Za-z0-9_-]+$/.test(e.cle) && typeof e.texte === 'string';
		}) : []
	};
	function save() { device.set(storageKey, state); }
	function forget(cle) {
		state.envois = state.envois.filter(function (e) { return e.cle !== cle; });
		save();
	}
	function find(cle) {
		return state.envois.filter(function (e) { return e.cle === cle; })[0];
	}

	function say(text) {
		live.textContent = '';
		setTimeout(function () { live.textContent = text; }, 50);
	}

	// A UUID where the browser has one, else 128 random bits in hex (msg_client_key_check).
	function newKey() {
		if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
		var bytes = crypto.getRandomValues(new Uint8Array(16));
		return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
	}

	function inList(cle) { return fil.querySelector('[data-cej-cle="' + cle + '"]'); }
	function ownCopy(cle) { return outbox.querySelector('[data-cej-cle="' + cle + '"]'); }

	// The bubble of a message not yet in the server's list, as app_fil.html draws one.
	function bubble(envoi) {
		var el = document.createElement('div');
		el.className = 'cej-msg cej-msg--own';
		el.setAttribute('data-cej-cle', envoi.cle);
		el.tabIndex = -1;
		var box = document.createElement('div');
		box.className = 'cej-msg__bubble';
		var text = document.createElement('p');
		text.className = 'cej-msg__text';
		var prefix = document.createElement('span');
		prefix.className = 'fr-sr-only';
		prefix.textContent = 'Mon message : ';
		text.append(prefix, document.createTextNode(envoi.texte));
		box.append(text);
		var meta = document.createElement('p');
		meta.className = 'cej-msg__meta';
		el.append(box, meta);
		outbox.append(el);
		return el;
	}

	var LABELS = { encours: 'Envoi en cours', echec: 'L’envoi a échoué', envoye: 'Envoyé' };
	var ICONS = { encours: 'fr-icon-time-line', echec: 'fr-icon-error-warning-line', envoye: 'fr-icon-check-line' };

	// @etat: "encours", "echec" or "envoye".
	function show(envoi, etat) {
		var el = ownCopy(envoi.cle) || bubble(envoi);
		var meta = el.querySelector('.cej-msg__meta');
		meta.className = 'cej-msg__meta fr-icon--sm ' + ICONS[etat];
		meta.textContent = LABELS[etat];
		el.classList.toggle('cej-msg--echec', etat === 'echec');
		var retry = el.querySelector('button[data-cej-reessayer]');
		if (etat === 'echec' && !retry) {
			retry = document.createElement('button');
			retry.type = 'button';
			retry.className = 'fr-btn fr-btn--sm fr-btn--secondary fr-icon-refresh-line fr-btn--icon-left';
			retry.setAttribute('data-cej-reessayer', '');
			retry.textContent = 'Réessayer';
			el.append(retry);
		} else if (etat !== 'echec' && retry) {
			retry.remove();
		}
		return el;
	}

	function fieldError(message) {
		var group = area.closest('.fr-input-group');
		var p = document.getElementById('message-erreur');
		if (!p) {
			p = document.createElement('p');
			p.id = 'message-erreur';
			p.className = 'fr-error-text';
			group.append(p);
		}
		p.textContent = message;
		group.classList.add('fr-input-group--error');
		area.classList.add('fr-input--error');
		area.setAttribute('aria-invalid', 'true');
		area.setAttribute('aria-describedby', 'message-erreur');
		area.focus();
	}

	function clearFieldError() {
		var p = document.getElementById('message-erreur');
		if (p) p.remove();
		area.closest('.fr-input-group').classList.remove('fr-input-group--error');
		area.classList.remove('fr-input--error');
		area.removeAttribute('aria-invalid');
		area.removeAttribute('aria-describedby');
	}

	// The server's list, fetched again; an older page gives way to the latest messages.
	function refresh() {
		var url = fil.getAttribute('hx-get');
		if (url.indexOf('avant=') >= 0) window.location.assign('/app/messages#dernier');
		else if (window.htmx) window.htmx.ajax('GET', url, { target: fil, swap: 'innerHTML' });
	}

	function accepted(envoi) {
		forget(envoi.cle);
		var el = ownCopy(envoi.cle);
		if (inList(envoi.cle)) {
			if (el) el.remove();
		} else {
			show(envoi, 'envoye');
		}
		say('Message envoyé');
		refresh();
	}

	function failed(envoi) {
		// The list may already hold it (stored, and the stream was quicker than the answer).
		if (inList(envoi.cle)) return accepted(envoi);
		show(envoi, 'echec');
		say('L’envoi a échoué');
	}

	// The server refused the text: it goes back to the field (before anything typed since),
	// with the message under it.
	function refused(envoi, message) {
		forget(envoi.cle);
		var el = ownCopy(envoi.cle);
		if (el) el.remove();
		area.value = area.value ? envoi.texte + '\n' + area.value : envoi.texte;
		state.brouillon = area.value;
		save();
		fieldError(message);
	}

	function post(envoi) {
		var body = new URLSearchParams();
		body.set('_csrf', form.elements._csrf.value);
		body.set('message', envoi.texte);
		body.set('cle_envoi', envoi.cle);
		var abort = window.AbortController ? new AbortController() : null;
		var timer = abort && setTimeout(function () { abort.abort(); }, TIMEOUT_MS);
		return fetch(form.action, {
			method: 'POST', body: body, credentials: 'same-origin',
			headers: { Accept: 'application/json' }, signal: abort && abort.signal
		}).then(function (res) {
			clearTimeout(timer);
			var json = (res.headers.get('Content-Type') || '').indexOf('application/json') >= 0;
			if (res.ok && json) return accepted(envoi);
			if (res.status === 400 && json)
				return res.json().then(function (b) { refused(envoi, b.erreur); });
			if (res.status >= 500) return failed(envoi);
			// Anything else (the session ended, the form's token is stale): reload, the
			// server says why; the message waits on the device as "L’envoi a échoué".
			window.location.reload();
		}, function () {
			clearTimeout(timer);
			failed(envoi);
		});
	}

	function send(envoi) {
		show(envoi, 'encours').scrollIntoView({ block: 'nearest' });
		say('Envoi en cours');
		post(envoi);
	}

	form.addEventListener('submit', function (event) {
		// An empty field is the plain form's business: the server answers with its message.
		if (!area.value.trim()) return;
		event.preventDefault();
		var envoi = { cle: newKey(), texte: area.value };
		state.envois.push(envoi);
		state.brouillon = '';
		area.value = '';
		save();
		clearFieldError();
		send(envoi);
	});

	outbox.addEventListener('click', function (event) {
		var button = event.target.closest('button[data-cej-reessayer]');
		if (!button) return;
		var el = button.closest('[data-cej-cle]');
		var envoi = find(el.getAttribute('data-cej-cle'));
		if (!envoi) return;
		el.focus();
		send(envoi);
	});

	// The draft: restored unless the server gave the field a text (a refused send).
	if (!area.value && state.brouillon) area.value = state.brouillon;
	area.addEventListener('input', function () {
		state.brouillon = area.value;
		save();
	});

	// "Copier": the message's text without what only screen readers hear.
	var canCopy = !!(navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext);
	function showCopy() {
		if (!canCopy) return;
		fil.querySelectorAll('button[data-cej-copier]').forEach(function (b) { b.hidden = false; });
	}
	fil.addEventListener('click', function (event) {
		var button = event.target.closest('button[data-cej-copier]');
		if (!button) return;
		var text = button.closest('.cej-msg').querySelector('.cej-msg__text').cloneNode(true);
		text.querySelectorAll('.fr-sr-only').forEach(function (s) { s.remove(); });
		navigator.clipboard.writeText(text.textContent).then(function () {
			say('Message copié');
			button.textContent = 'Message copié';
			setTimeout(function () { button.textContent = 'Copier'; }, 3000);
		}, function () {
			say('Le message n’a pas pu être copié');
		});
	});

	// After the list is fetched again (event stream, a send): own copies of messages it now
	// holds give way to the server's rendering.
	function reconcile() {
		outbox.querySelectorAll('[data-cej-cle]').forEach(function (el) {
			var cle = el.getAttribute('data-cej-cle');
			if (!inList(cle)) return;
			if (el.contains(document.activeElement)) area.focus();
			el.remove();
			forget(cle);
		});
		showCopy();
	}
	document.body.addEventListener('htmx:afterSwap', function (event) {
		if (event.detail.target === fil) reconcile();
	});

	// Messages left unsent (page closed, network lost, reload) wait for "Réessayer".
	state.envois.slice().forEach(function (envoi) {
		if (inList(envoi.cle)) forget(envoi.cle);
		else show(envoi, 'echec');
	});
	showCopy();
})();

/* "Afficher plus d’offres" (youth-app.md §8): htmx appends the next 10 cards to the
 * results (offers/app_more.html) and the first new card takes the focus. Without
 * JavaScript the link opens the same results one page longer, on that card's anchor. */
(function () {
	'use strict';
	document.body.addEventListener('htmx:afterSwap', function (event) {
		var list = event.detail.target;
		if (!list || list.id !== 'offres') return;
		var first = list.querySelector('[data-cej-first]');
		if (!first) return;
		first.removeAttribute('data-cej-first');
		first.focus();
	});
})();
