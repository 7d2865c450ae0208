// Workroom's own script: only what HTML cannot do. Pages work fully without it.
(function () {
  'use strict';
  // After a boosted navigation htmx swaps <body> but leaves focus where it was. Put it where a
  // full page load would: on an autofocus element (an error summary), else the main content,
  // so keyboard and screen-reader users start at the top of the new page.
  document.addEventListener('htmx:afterSettle', function (event) {
    var detail = event.detail || {};
    if (!detail.boosted || detail.target !== document.body) return;
    var target = document.querySelector('[autofocus]') || document.getElementById('main');
    if (target) target.focus({ preventScroll: false });
  });
})();
