// Workroom's own script: only what HTML cannot do. Pages work fully without it.
(function () {
  'use strict';

  // htmx swaps <body> only: carry over the new page's language (a Spanish reader signing in,
  // the language switch), which screen readers need to pronounce it right.
  document.addEventListener('htmx:afterSwap', function (event) {
    var detail = event.detail || {};
    if (!detail.boosted || !detail.xhr) return;
    var lang = /<html[^>]*\slang="([a-z-]+)"/i.exec(detail.xhr.responseText || '');
    if (lang) document.documentElement.lang = lang[1];
  });

  // After a boosted navigation focus stays where it was. Put it where a full page load would:
  // on an autofocus element (an error summary), else the main content, so keyboard and
  // screen-reader users start at the top of the new page.
  document.addEventListener('htmx:afterSettle', function (event) {
    var detail = event.detail || {};
    if (!detail.boosted || detail.target !== document.body) return;
    var target = document.querySelector('[autofocus]') || document.getElementById('main');
    if (target) target.focus({ preventScroll: false });
  });

  // A board card's move and assign forms swap it out of one column and into another, and so
  // does someone else's change arriving live; focus inside a card that leaves would fall back
  // to the page. Note the card that has focus when a swap takes it away, and when it lands
  // again, put focus on its link.
  var focusCard = null;
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.classList && target.classList.contains('card') &&
        target.contains(document.activeElement)) {
      focusCard = target.id;
    }
  });
  document.addEventListener('htmx:load', function (event) {
    var card = event.target;
    if (!focusCard || !card || card.id !== focusCard) return;
    focusCard = null;
    var link = card.querySelector('a');
    if (link) link.focus();
  });
})();
