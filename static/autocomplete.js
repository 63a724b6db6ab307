// Name suggestions for inputs marked data-suggest ("any", "person" or "place"): the pages work
// without this; it only fills each input's datalist. The search box completes its last word; an
// input with data-append-to adds the chosen name as a new line of that textarea (Correct form).
(function () {
  "use strict";
  if (!window.fetch) { return; }
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var target = input.dataset.appendTo ? document.getElementById(input.dataset.appendTo) : null;
    var kind = input.dataset.suggest;
    if (!list) { return; }
    if (target) { input.closest("[hidden]") && input.closest("[hidden]").removeAttribute("hidden"); }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var words = target ? [input.value.trim()] : input.value.split(/\s+/);
        var prefix = words[words.length - 1];
        if (prefix.length < 2 || prefix === last) { return; }
        last = prefix;
        fetch("/api/suggest?prefix=" + encodeURIComponent(prefix))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            var head = words.slice(0, -1).join(" ");
            list.replaceChildren();
            data.suggestions.forEach(function (s) {
              if (kind !== "any" && s.kind !== kind) { return; }
              var option = document.createElement("option");
              option.value = target ? s.label : (head ? head + " " : "") + s.matched;
              option.label = target ? s.matched : s.label + " (" + s.kind + ")";
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
    if (target) {
      input.addEventListener("change", function () {
        var chosen = Array.prototype.some.call(list.options, function (o) { return o.value === input.value; });
        if (!chosen) { return; }
        var text = target.value.replace(/\s+$/, "");
        target.value = (text ? text + "\n" : "") + input.value;
        input.value = "";
        last = "";
      });
    }
  });
})();
