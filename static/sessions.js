/* sessions.js — enhancements of the i-milo session page (agenda.md §5.3); the page works
 * without. The motive's counter "N / 250" follows the typing (characters, as i-milo
 * counts them), and the open unregister dialog takes the focus. */
(function () {
	document.querySelectorAll('[data-cej-session-counter]').forEach(function (area) {
		var out = document.getElementById(area.getAttribute('data-cej-session-counter'));
		var max = area.getAttribute('data-cej-limit');
		area.addEventListener('input', function () {
			out.textContent = Array.from(area.value).length + ' / ' + max;
		});
	});
	var dialog = document.getElementById('desinscription');
	if (dialog && !document.querySelector('[data-cej-focus]')) {
		var first = dialog.querySelector('input[name="motif"]');
		if (first) first.focus();
	}
})();
