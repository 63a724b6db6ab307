// Name suggestions for the search box: the page works without this; it only fills a datalist.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("name-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var words = input.value.split(/\s+/);
      var prefix = words[words.length - 1];
      if (prefix.length < 2 || prefix === last) { return; }
      last = prefix;
      fetch("/api/suggest?prefix=" + encodeURIComponent(prefix))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          var head = words.slice(0, -1).join(" ");
          list.replaceChildren();
          data.suggestions.forEach(function (s) {
            var option = document.createElement("option");
            option.value = (head ? head + " " : "") + s.matched;
            option.label = s.label + " (" + s.kind + ")";
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are optional */ });
    }, 150);
  });
})();
