/* As-you-type checks for a form with data-check-url: the server's own rules and messages
   (nothing is saved). A field shows its message once the person has left it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-check-url]");
  if (!form) { return; }
  var touched = {}, timer = null, token = 0;
  function values() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && value !== "") { data[name] = value; }
    });
    if (form.dataset.contest) { data.contest = form.dataset.contest; }
    return data;
  }
  function show(name, message) {
    var input = form.querySelector('[name="' + name + '"]');
    if (!input) { return; }
    var box = input.closest(".field"), note = document.getElementById("e-" + name);
    if (!note) {
      note = document.createElement("small");
      note.className = "error";
      note.id = "e-" + name;
      note.setAttribute("aria-live", "polite");
      box.appendChild(note);
    }
    note.textContent = message || "";
    note.hidden = !message;
    box.classList.toggle("has-error", !!message);
    if (message) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", note.id); }
    else { input.removeAttribute("aria-invalid"); }
  }
  function check() {
    var mine = ++token, asForm = form.dataset.checkFormat === "form";
    fetch(form.dataset.checkUrl, asForm ? {
      method: "POST", credentials: "same-origin", body: new FormData(form)  // with its CSRF token
    } : {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(values())
    }).then(function (response) { return response.json(); }).then(function (body) {
      if (mine !== token) { return; }
      var fields = (body.error && body.error.fields) || body.fields || {};
      Object.keys(touched).forEach(function (name) { show(name, fields[name]); });
    }).catch(function () { /* offline: the server checks again on submit */ });
  }
  form.addEventListener("focusout", function (event) {
    if (!event.target.name || event.target.name === "csrf_token") { return; }
    touched[event.target.name] = true;
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  form.addEventListener("input", function (event) {
    if (touched[event.target.name]) { clearTimeout(timer); timer = setTimeout(check, 500); }
  });
})();
