// The vendored ALTCHA widget (static/vendor/altcha, the CSP-friendly build) bundles no worker:
// register the one our challenges use (contest/challenge.py ALGORITHM), served from this site.
(function () {
  "use strict";
  var worker = new URL("../vendor/altcha/pbkdf2.worker.js", document.currentScript.src).href;
  globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", function () { return new Worker(worker); });
})();
