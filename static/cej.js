/* cej.js — small enhancements; every page works without them.
 * Buttons marked data-cej-once are disabled once their form is submitted, so a double
 * click cannot send the request twice (the server refuses duplicates anyway). */
document.addEventListener('submit', function (event) {
	var form = event.target;
	form.querySelectorAll('button[data-cej-once]').forEach(function (button) {
		// Disabled after this tick, so the submission itself goes through.
		setTimeout(function () {
			button.disabled = true;
			button.setAttribute('aria-busy', 'true');
		}, 0);
	});
});
