/* agenda-close.js — enhancements of closing an AC (agenda.md §4); both pages work without.
 * "Tout sélectionner" (data-cej-select-all="name") checks or clears every box of that name
 * and shows their state: checked when all are, indeterminate when some are. "Imprimer"
 * (data-cej-print) prints the sign-in sheet. data-cej-js-only elements are shown by cej.js
 * on the layout's pages; the sheet has no layout, so this file shows its own. */
(function () {
	document.querySelectorAll('[data-cej-select-all]').forEach(function (all) {
		var form = all.form;
		var name = all.getAttribute('data-cej-select-all');
		function boxes() {
			return Array.prototype.filter.call(form.elements, function (el) {
				// A locked box (a registrant already Présent) stays as it is.
				return el.type === 'checkbox' && el.name === name && !el.disabled;
			});
		}
		function sync() {
			var list = boxes();
			var on = list.filter(function (b) { return b.checked; }).length;
			all.checked = list.length > 0 && on === list.length;
			all.indeterminate = on > 0 && on < list.length;
		}
		all.addEventListener('change', function () {
			boxes().forEach(function (b) { b.checked = all.checked; });
			all.indeterminate = false;
		});
		form.addEventListener('change', function (event) {
			if (event.target !== all) sync();
		});
		sync();
	});
	document.querySelectorAll('[data-cej-print]').forEach(function (button) {
		button.hidden = false;
		button.addEventListener('click', function () { window.print(); });
	});
})();
