/* The attempt page: every answer goes into a queue kept in localStorage and is sent to the
   server until it is acknowledged; the countdown follows the server's clock. No inline script. */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) { return; }
  var attemptId = root.dataset.attemptId;
  var api = root.dataset.api;
  var deadline = Date.parse(root.dataset.deadline);
  var offset = Date.parse(root.dataset.serverNow) - Date.now();  // server clock minus ours
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var form = document.getElementById("attempt-form");
  var stateEl = document.getElementById("save-state");
  var countdownEl = document.getElementById("countdown");
  var key = "attempt:" + attemptId + ":pending";
  var seqKey = "attempt:" + attemptId + ":seq";
  var pending = load(key, {});
  var msg = JSON.parse(root.dataset.messages);
  var sending = false, retryDelay = 1000, submitting = false, closed = false;

  function load(name, fallback) {
    try { return JSON.parse(localStorage.getItem(name)) || fallback; } catch (e) { return fallback; }
  }
  function store() {
    try { localStorage.setItem(key, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }
  function serverNow() { return Date.now() + offset; }
  function nextSeq() {  // grows past any seq another tab or device used, by the server's clock
    var seq = Math.max(Number(localStorage.getItem(seqKey) || 0) + 1, Math.floor(serverNow()));
    try { localStorage.setItem(seqKey, String(seq)); } catch (e) { /* ignore */ }
    return seq;
  }
  function show(state, text) {
    stateEl.className = "save-state " + state;
    stateEl.textContent = text;
  }
  function chosen(fieldset) {
    return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (i) {
      return Number(i.value);
    });
  }
  function applyPending() {  // answers not yet acknowledged survive a reload
    Object.keys(pending).forEach(function (qid) {
      var fieldset = document.getElementById("q-" + qid);
      if (!fieldset) { return; }
      fieldset.querySelectorAll("input").forEach(function (input) {
        input.checked = pending[qid].choices.indexOf(Number(input.value)) >= 0;
      });
    });
  }
  function flush() {
    var ids = Object.keys(pending);
    if (sending || closed) { return; }
    if (!ids.length) { show("saved", msg.saved); return; }
    sending = true;
    show(navigator.onLine === false ? "offline" : "saving",
         navigator.onLine === false ? msg.offline : msg.saving);
    var qid = ids[0], item = pending[qid];
    fetch(api + "/attempts/" + attemptId + "/answers/" + qid, {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({choices: item.choices, seq: item.seq})
    }).then(function (response) {
      sending = false;
      if (response.status === 409) { closed = true; window.location = root.dataset.resultUrl; return; }
      if (response.status === 200) {
        return response.json().then(function (body) {
          if (pending[qid] && pending[qid].seq <= body.saved_seq) { delete pending[qid]; store(); }
          if (body.saved_seq > item.seq) { show("saving", msg.stale); }
          retryDelay = 1000;
          flush();
        });
      }
      if (response.status === 422 || response.status === 404) { delete pending[qid]; store(); flush(); return; }
      var failure = new Error("HTTP " + response.status);
      failure.server = true;
      throw failure;
    }).catch(function (error) {
      sending = false;
      show("offline", error && error.server ? msg.server : msg.offline);
      setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) { return; }
    pending[fieldset.dataset.questionId] = {choices: chosen(fieldset), seq: nextSeq()};
    store();
    flush();
  });
  function tick() {
    var left = Math.max(0, deadline - serverNow());
    var s = Math.floor(left / 1000);
    countdownEl.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    countdownEl.parentNode.classList.toggle("warning", s <= 60);
    if (left <= 0 && !submitting) { submitting = true; finish(true); return; }
    setTimeout(tick, 250);
  }
  function waitForQueue(limitMs) {
    return new Promise(function (resolve) {
      var until = Date.now() + limitMs;
      (function check() {
        if (!Object.keys(pending).length || Date.now() > until) { resolve(); return; }
        flush();
        setTimeout(check, 200);
      })();
    });
  }
  function finish(auto) {
    var prediction = document.getElementById("f-prediction");
    if (auto && prediction && prediction.value === "") { prediction.removeAttribute("required"); }
    waitForQueue(auto ? 8000 : 15000).then(function () {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
      HTMLFormElement.prototype.submit.call(form);
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (submitting) { return; }
    var unanswered = Array.prototype.filter.call(form.querySelectorAll("fieldset.question"),
      function (f) { return !f.querySelector("input:checked"); }).length;
    var message = unanswered ? msg.unanswered.replace("{n}", unanswered) : msg.confirm;
    if (!window.confirm(message)) { return; }
    var prediction = document.getElementById("f-prediction");
    if (prediction && !prediction.reportValidity()) { return; }
    submitting = true;
    document.getElementById("submit-button").disabled = true;
    finish(false);
  });
  window.addEventListener("online", flush);
  applyPending();
  flush();
  tick();
})();
