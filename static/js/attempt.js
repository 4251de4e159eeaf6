/* The attempt page: every answer goes into a queue kept in localStorage and is sent to the
   server until it is acknowledged; the countdown follows the server's clock. No inline script.
   Progressive enhancement: the HTML is the list of every question; this script shows one
   question per screen with a navigator, previous/next and mark-for-review, and remembers the
   participant's choice of view ("Xem tất cả câu" / "Từng câu"). Text comes from data-messages. */
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
  var alertEl = document.getElementById("time-alert");
  var key = "attempt:" + attemptId + ":pending";
  var seqKey = "attempt:" + attemptId + ":seq";
  var markKey = "attempt:" + attemptId + ":marked";
  var posKey = "attempt:" + attemptId + ":current";
  var viewKey = "attempt:view";  // one question per screen or the list, for every attempt
  var pending = load(key, {});
  var marked = load(markKey, []);  // ids (strings) of the questions marked for review
  var msg = JSON.parse(root.dataset.messages);
  var sending = false, retryDelay = 1000, retryTimer = null, submitting = false, closed = false;
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
  var navPanel = document.getElementById("qnav");
  var navList = document.getElementById("qnav-list");
  var progressEl = document.getElementById("qnav-progress");
  var noteEl = document.getElementById("unanswered-note");
  var pager = form.querySelector(".attempt-pager");
  var prevButton = document.getElementById("prev-question");
  var nextButton = document.getElementById("next-question");
  var viewButton = document.getElementById("view-toggle");
  var navButtons = [], current = 0, view = "one", warned = false, alertTimer = null;
  if (!Array.isArray(marked)) { marked = []; }

  function load(name, fallback) {
    try { return JSON.parse(localStorage.getItem(name)) || fallback; } catch (e) { return fallback; }
  }
  function remember(name, value) {
    try { localStorage.setItem(name, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function forget(name) {
    try { localStorage.removeItem(name); } catch (e) { /* ignore */ }
  }
  function store() { remember(key, pending); }
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
  function carryQueue() {  // the form sends what is on screen, and what the queue still holds
    applyPending();
    questions.forEach(function (f) { f.disabled = false; });
  }
  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }
  function flush() {
    var ids = Object.keys(pending);
    if (sending || closed) { return; }
    if (!ids.length) { show("saved", msg.saved); return; }
    if (navigator.onLine === false) { show("offline", msg.offline); retryLater(); return; }  // "online" flushes
    sending = true;
    show("saving", msg.saving);
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
      retryLater();
    });
  }

  /* One question per screen, the navigator and mark-for-review. */
  function answered(fieldset) { return !!fieldset.querySelector("input:checked"); }
  function isMarked(fieldset) { return marked.indexOf(fieldset.dataset.questionId) >= 0; }
  function buildNavigator() {
    var fragment = document.createDocumentFragment();
    questions.forEach(function (fieldset, i) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "qnav-btn";
      button.dataset.index = String(i);
      button.textContent = String(i + 1);
      item.appendChild(button);
      fragment.appendChild(item);
      navButtons.push(button);
    });
    navList.appendChild(fragment);
  }
  function refresh(i) {
    var fieldset = questions[i], button = navButtons[i];
    var done = answered(fieldset), flagged = isMarked(fieldset);
    button.classList.toggle("answered", done);
    button.classList.toggle("marked", flagged);
    button.classList.toggle("current", i === current);
    if (i === current) { button.setAttribute("aria-current", "true"); } else { button.removeAttribute("aria-current"); }
    button.setAttribute("aria-label", msg.question.replace("{n}", i + 1) + ", " +
      (done ? msg.answered : msg.notAnswered) + (flagged ? ", " + msg.marked : ""));
    fieldset.querySelector(".mark-toggle").setAttribute("aria-pressed", String(flagged));
    fieldset.classList.toggle("is-marked", flagged);
  }
  function unansweredCount() {
    return questions.filter(function (f) { return !answered(f); }).length;
  }
  function refreshAll() {
    questions.forEach(function (f, i) { refresh(i); });
    var left = unansweredCount(), total = questions.length;
    progressEl.textContent = msg.progress.replace("{a}", total - left).replace("{n}", total);
    noteEl.textContent = left ? msg.left.replace("{n}", left) : "";
    noteEl.hidden = !left;
  }
  function reveal(fieldset) {  // the question's top below the sticky bar, focus on its heading
    fieldset.scrollIntoView({block: "start"});
    fieldset.querySelector(".qhead").focus({preventScroll: true});
  }
  function go(i, focus) {
    current = Math.max(0, Math.min(questions.length - 1, i));
    remember(posKey, current);
    questions.forEach(function (f, j) { f.hidden = view === "one" && j !== current; });
    prevButton.disabled = current === 0;
    nextButton.disabled = current === questions.length - 1;
    refreshAll();
    if (focus) { reveal(questions[current]); }
  }
  function setView(next) {
    view = next === "list" ? "list" : "one";
    remember(viewKey, view);
    root.classList.toggle("one-per-screen", view === "one");
    pager.hidden = view !== "one";
    viewButton.textContent = view === "one" ? msg.showAll : msg.showOne;
  }
  function columns() {  // how many navigator buttons share the first row
    var top = navButtons[0].getBoundingClientRect().top, n = 0;
    while (n < navButtons.length && Math.abs(navButtons[n].getBoundingClientRect().top - top) < 2) { n++; }
    return n || 1;
  }
  navList.addEventListener("click", function (event) {
    var button = event.target.closest(".qnav-btn");
    if (button) { go(Number(button.dataset.index), true); }
  });
  navList.addEventListener("keydown", function (event) {  // arrows move between the buttons
    var button = event.target.closest(".qnav-btn");
    if (!button || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var i = Number(button.dataset.index), last = navButtons.length - 1;
    var to = {ArrowRight: i + 1, ArrowLeft: i - 1, ArrowDown: i + columns(), ArrowUp: i - columns(),
              Home: 0, End: last}[event.key];
    if (to === undefined) { return; }
    event.preventDefault();
    navButtons[Math.max(0, Math.min(last, to))].focus();
  });
  prevButton.addEventListener("click", function () { go(current - 1, true); });
  nextButton.addEventListener("click", function () { go(current + 1, true); });
  viewButton.addEventListener("click", function () {
    setView(view === "one" ? "list" : "one");
    go(current, true);
  });
  form.addEventListener("click", function (event) {
    var toggle = event.target.closest(".mark-toggle");
    if (!toggle) { return; }
    var qid = toggle.closest("fieldset.question").dataset.questionId, at = marked.indexOf(qid);
    if (at >= 0) { marked.splice(at, 1); } else { marked.push(qid); }
    remember(markKey, marked);
    refreshAll();
  });
  form.addEventListener("focusin", function (event) {  // in the list, where the person is
    var fieldset = event.target.closest("fieldset.question");
    var i = questions.indexOf(fieldset);
    if (fieldset && view === "list" && i !== current) {
      current = i;
      remember(posKey, current);
      refreshAll();
    }
  });

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) { return; }
    pending[fieldset.dataset.questionId] = {choices: chosen(fieldset), seq: nextSeq()};
    store();
    flush();
    refreshAll();
  });
  function announce(text, clearAfterMs) {  // role="alert": read out at once, shown in the bar
    clearTimeout(alertTimer);
    alertEl.textContent = text;
    if (clearAfterMs) { alertTimer = setTimeout(function () { alertEl.textContent = ""; }, clearAfterMs); }
  }
  function tick() {
    var left = Math.max(0, deadline - serverNow());
    var s = Math.floor(left / 1000);
    countdownEl.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    countdownEl.parentNode.classList.toggle("warning", s <= 60);
    root.classList.toggle("time-warning", s <= 60);
    if (s <= 60 && left > 0 && !warned) { warned = true; announce(msg.oneMinute, 10000); }
    if (left <= 0 && !submitting) {
      submitting = true;
      announce(msg.timeUp);
      // No more changes, but the fields stay enabled: a disabled field is not sent with the form.
      form.querySelector(".questions").inert = true;
      root.classList.add("time-up");
      document.getElementById("submit-button").disabled = true;
      finish(true);
      return;
    }
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
      carryQueue();
      forget(key);
      forget(markKey);
      forget(posKey);
      HTMLFormElement.prototype.submit.call(form);
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (submitting) { return; }
    var unanswered = unansweredCount();
    var message = unanswered ? msg.unanswered.replace("{n}", unanswered) : msg.confirm;
    if (!window.confirm(message)) {  // back to the first question still unanswered
      if (unanswered) { go(questions.findIndex(function (f) { return !answered(f); }), true); }
      return;
    }
    var prediction = document.getElementById("f-prediction");
    if (prediction && !prediction.reportValidity()) { return; }
    submitting = true;
    document.getElementById("submit-button").disabled = true;
    finish(false);
  });
  window.addEventListener("online", function () { retryDelay = 1000; flush(); });

  applyPending();
  buildNavigator();
  questions.forEach(function (f) { f.querySelector(".mark-toggle").hidden = false; });
  navPanel.hidden = false;
  setView(load(viewKey, "one"));
  go(Number(load(posKey, 0)) || 0, false);
  root.classList.add("enhanced");
  flush();
  tick();
  if (window.performance && performance.mark) { performance.mark("attempt-ready"); }
})();
