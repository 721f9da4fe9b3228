/*
 * The admin fills in the address part (slug) from the name as you type. Django's own
 * transliteration turns "ä" into "a"; German readers expect "ae". This wraps Django's URLify so
 * that umlauts and ß are written out first, the same rule as quartier/slugs.py on the server.
 * The wrapper is installed once the page has loaded, whatever order the admin's scripts come in.
 */
(function () {
  "use strict";
  var german = { "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS" };

  function installGermanURLify() {
    var djangoURLify = window.URLify;
    if (typeof djangoURLify !== "function" || djangoURLify.writesGerman) {
      return;
    }
    var germanURLify = function (text, numChars, allowUnicode) {
      var written = String(text).replace(/[äöüÄÖÜßẞ]/g, function (letter) {
        return german[letter];
      });
      return djangoURLify(written, numChars, allowUnicode);
    };
    germanURLify.writesGerman = true;
    window.URLify = germanURLify;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", installGermanURLify);
  } else {
    installGermanURLify();
  }
})();
