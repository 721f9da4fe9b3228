/*
 * The admin fills in the address part (slug) from the name as you type. Django's own
 * transliteration turns "ä" into "a"; German readers expect "ae". This wraps Django's URLify so
 * that umlauts and ß are written out first, the same rule as quartier/slugs.py on the server.
 */
(function () {
  "use strict";
  if (typeof window.URLify !== "function") {
    return;
  }
  var djangoURLify = window.URLify;
  var german = { "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS" };
  window.URLify = function (text, numChars, allowUnicode) {
    var written = String(text).replace(/[äöüÄÖÜßẞ]/g, function (letter) {
      return german[letter];
    });
    return djangoURLify(written, numChars, allowUnicode);
  };
})();
