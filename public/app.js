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
    var detail = event.detail || {};
    var target = detail.target;
    // Only a swap that takes the card away: inserting another card before it leaves it be.
    var inserts =
      detail.fragment && detail.fragment.querySelector && detail.fragment.querySelector('.card');
    if (
      !inserts &&
      target &&
      target.classList &&
      target.classList.contains('card') &&
      target.contains(document.activeElement)
    ) {
      focusCard = target.id;
    }
  });
  // A card that did not come back (trashed, or out of sight) is forgotten, so a later change to
  // it cannot pull focus from wherever the reader has gone since. Two answers to one move (ours
  // and the live event) may interleave, so a card that is on the page keeps its claim.
  document.addEventListener('htmx:afterSettle', function () {
    if (focusCard && !document.getElementById(focusCard)) focusCard = null;
  });
  document.addEventListener('htmx:load', function (event) {
    var card = event.target;
    // A card another swap has already replaced is no longer on the page: wait for its successor.
    if (!focusCard || !card || card.id !== focusCard || !card.isConnected) return;
    focusCard = null;
    var link = card.querySelector('a');
    if (link) link.focus();
  });

  // While a boosted navigation is on its way, the page it leaves takes no live swaps: one could
  // remove the very link that was followed (opening an unread conversation from the list marks
  // it read, and that re-renders the list), and htmx, finding its element gone, would forget
  // the request was a navigation and leave the old address in the bar. The next page's stream
  // starts from where its own data was read, so what is held back here is not lost.
  var navigation = null;
  document.addEventListener('htmx:beforeRequest', function (event) {
    var detail = event.detail || {};
    if (detail.boosted) navigation = detail.xhr;
  });
  [
    'htmx:beforeSwap',
    'htmx:afterRequest',
    'htmx:sendError',
    'htmx:sendAbort',
    'htmx:timeout',
  ].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.detail && event.detail.xhr === navigation) navigation = null;
    });
  });
  document.addEventListener('htmx:sseBeforeMessage', function (event) {
    if (navigation) event.preventDefault();
  });

  // Someone shown "away" counts as offline ten minutes after they were last seen. Nothing
  // happens on the server then, so a page left open turns their badge itself, at the time
  // and with the words the server gave it.
  function turnOfflineLater(root) {
    if (!root.querySelectorAll) return;
    var badges = Array.prototype.slice.call(root.querySelectorAll('[data-offline-at]'));
    if (root.hasAttribute('data-offline-at')) badges.push(root);
    badges.forEach(function (badge) {
      var at = badge.getAttribute('data-offline-at');
      window.setTimeout(
        function () {
          // Replaced or changed since (a live update, a new page): nothing to do.
          if (!badge.isConnected || badge.getAttribute('data-offline-at') !== at) return;
          badge.className = 'presence presence--offline';
          badge.textContent = badge.getAttribute('data-offline-label');
          badge.removeAttribute('data-offline-at');
        },
        Math.max(0, Date.parse(at) - Date.now()),
      );
    });
  }
  document.addEventListener('htmx:load', function (event) {
    turnOfflineLater(event.target);
  });

  // A chat message appended to a log (our own post's answer, a live event, a replay after a
  // reconnect) that the page already shows replaces the one there instead: it never appears
  // twice.
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var detail = event.detail || {};
    var fragment = detail.fragment;
    var target = detail.target;
    if (!fragment || !fragment.children || !target || !target.closest) return;
    if (!target.closest('[role="log"]')) return;
    Array.prototype.slice.call(fragment.children).forEach(function (item) {
      var existing = item.id && document.getElementById(item.id);
      if (!existing) return;
      existing.replaceWith(item);
      if (window.htmx) window.htmx.process(item);
    });
  });
})();
