/* Uploads with a progress bar: forms with data-progress are sent by XMLHttpRequest so the
   organiser sees how much has gone; the server's answer (the preview or the next page) then
   replaces this page, as a normal submit would. Without JS the form submits as usual. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      var bar = form.querySelector("progress") || document.createElement("progress");
      var label = form.querySelector(".upload-state") || document.createElement("span");
      bar.max = 100; bar.value = 0; label.className = "upload-state small muted";
      label.setAttribute("aria-live", "polite");
      form.appendChild(bar); form.appendChild(label);
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round(100 * e.loaded / e.total);
          label.textContent = form.dataset.sending.replace("{p}", bar.value);
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        label.textContent = form.dataset.checking;
      });
      xhr.addEventListener("load", function () {
        // The answer is already the page to show, redirect followed (its flash message read
        // once): write it, and give the address bar the page's own address.
        var moved = xhr.responseURL && xhr.responseURL.split("#")[0] !== form.action.split("#")[0];
        document.open(); document.write(xhr.responseText); document.close();
        if (moved && window.history && history.replaceState) {
          history.replaceState(null, "", xhr.responseURL);
        }
      });
      xhr.addEventListener("error", function () {
        label.textContent = form.dataset.failed;
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      });
      xhr.send(new FormData(form));
    });
  });
})();

/* Exports that take a while: a link with data-busy says the file is being prepared until the
   download starts (the page loses focus to the save dialog or the file arrives). */
(function () {
  "use strict";
  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function () {
      var note = document.getElementById("busy-note");
      if (!note) {
        note = document.createElement("p");
        note.id = "busy-note";
        note.className = "flash info";
        note.setAttribute("role", "status");
        link.parentNode.insertAdjacentElement("afterend", note);
      }
      note.textContent = link.dataset.busy;
      note.hidden = false;
      setTimeout(function () { note.hidden = true; }, 20000);
    });
  });
})();
