/* Countdowns to a server time: <span data-countdown-to="ISO" data-server-now="ISO">.
   Follows the server's clock (offset taken once), never the device's. No inline script. */
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-countdown-to]");
  if (!nodes.length) { return; }
  function pad(n) { return String(n).padStart(2, "0"); }
  function render(node) {
    var left = Math.max(0, Date.parse(node.dataset.countdownTo) - (Date.now() + node.offset));
    var s = Math.floor(left / 1000), days = Math.floor(s / 86400);
    var text = pad(Math.floor(s % 86400 / 3600)) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60);
    node.textContent = (days ? days + " " + node.dataset.dayWord + " " : "") + text;
  }
  Array.prototype.forEach.call(nodes, function (node) {
    node.offset = Date.parse(node.dataset.serverNow) - Date.now();
    render(node);
  });
  setInterval(function () { Array.prototype.forEach.call(nodes, render); }, 1000);
})();
