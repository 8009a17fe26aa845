/* The campaign page's stale flags and chain gaps: the page renders at once with each
   agreement's "Data" and "Chain gaps" cells pending, and this fetches both for the same page of
   agreements (composing each school again takes the server ~25 ms an agreement, a chain trace
   1-3 ms). The labels come from the page, translated; a failed request marks the cells "not
   checked" (the gaps "—"). Without JavaScript a link renders them on the server instead. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("stale-flags");
    if (!table || !window.fetch) { return; }
    function mark(row, text, stale, reason) {
      var cell = row.querySelector(".stale-flag");
      if (!cell) { return; }
      cell.textContent = "";
      if (stale) {
        var badge = document.createElement("span");
        badge.className = "badge warn";
        badge.title = reason;
        badge.textContent = text;
        cell.appendChild(badge);
        row.classList.add("stale");
      } else {
        cell.textContent = text;
      }
    }
    function rows() { return table.querySelectorAll("tr[data-agreement]"); }
    function gaps(counts) {
      var cells = table.querySelectorAll("td.chain-gaps[data-school]");
      for (var i = 0; i < cells.length; i++) {
        var link = cells[i].querySelector("a"), school = cells[i].getAttribute("data-school");
        var known = counts && Object.prototype.hasOwnProperty.call(counts, school) && counts[school] !== null;
        if (!link) { continue; }
        link.textContent = known ? String(counts[school]) : "\u2014";
        if (known && counts[school] > 0) { link.classList.add("warn"); }
      }
    }
    fetch(table.getAttribute("data-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (body) {
        var list = rows(), checked = {};
        for (var i = 0; i < body.checked.length; i++) { checked[String(body.checked[i])] = true; }
        for (var j = 0; j < list.length; j++) {
          var id = list[j].getAttribute("data-agreement");
          if (Object.prototype.hasOwnProperty.call(body.stale, id)) {
            mark(list[j], table.getAttribute("data-stale"), true, body.stale[id]);
          } else if (checked[id]) {
            mark(list[j], table.getAttribute("data-current"), false, "");
          } else {
            mark(list[j], table.getAttribute("data-failed"), false, "");
          }
        }
        gaps(body.chain_gaps);
        table.setAttribute("data-checked", "1");
      })
      .catch(function () {
        var list = rows();
        for (var k = 0; k < list.length; k++) { mark(list[k], table.getAttribute("data-failed"), false, ""); }
        gaps(null);
        table.setAttribute("data-checked", "failed");
      });
  });
})();
