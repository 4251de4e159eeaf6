/* The certificate batch's progress: the page asks how far the file is every second, moves the
   bar, and starts the download when it is ready. Without JS the page reloads itself. */
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var state = box.querySelector(".batch-state");
  var link = box.querySelector(".batch-link");
  function say(template, data) {
    state.textContent = template.replace("{done}", data.done).replace("{total}", data.total);
  }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.max = data.total || 1;
        bar.value = data.status === "ready" ? bar.max : data.done;
        if (data.status === "ready") {
          say(box.dataset.ready, data);
          link.hidden = false;
          window.location.href = box.dataset.pdfUrl;
        } else if (data.status === "failed") {
          state.textContent = box.dataset.failed;
        } else {
          say(box.dataset.drawing, data);
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (!link.hidden) { return; }
  poll();
})();
