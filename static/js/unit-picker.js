/* The unit picker: a search box over a <select data-unit-picker> whose options carry each
   unit's path ("Huyện X › Xã Y"). Typing filters the options (without accents: "dong hoa"
   finds "Đông Hòa"); the select opens as a list of the matches. Without this script the
   select still works. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase();
  }
  function setUp(select) {
    var box = document.createElement("input"), note = document.createElement("small");
    box.type = "search";
    box.id = select.id + "-search";
    box.className = "unit-search";
    box.autocomplete = "off";
    box.placeholder = select.dataset.searchLabel;
    box.setAttribute("aria-label", select.dataset.searchLabel);
    box.setAttribute("aria-controls", select.id);
    note.className = "hint";
    note.hidden = true;
    note.setAttribute("aria-live", "polite");
    note.textContent = select.dataset.nothing;
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(note, select.nextSibling);
    var options = Array.prototype.slice.call(select.querySelectorAll("option[value]"))
      .filter(function (o) { return o.value; });
    options.forEach(function (o) { o.dataset.folded = fold(o.textContent + " " + o.value); });
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean), shown = [];
      options.forEach(function (o) {
        var hit = words.every(function (w) { return o.dataset.folded.indexOf(w) >= 0; });
        o.hidden = !hit;
        o.disabled = !hit;
        if (hit) { shown.push(o); }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) {
        g.hidden = !g.querySelector("option:not([hidden])");
      });
      note.hidden = shown.length > 0;
      select.size = words.length ? Math.max(2, Math.min(8, shown.length + 1)) : 0;
      if (shown.length === 1) { shown[0].selected = true; }
      else if (select.selectedOptions.length && select.selectedOptions[0].hidden) {
        select.value = "";
      }
    });
    select.addEventListener("change", function () {
      if (select.size) { select.size = 0; }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-unit-picker]"), setUp);
}());
