/* The campaign page's stale flags: the page renders at once with each agreement's "Data" cell
   pending, and this fetches the flags of the same page of agreements (composing each school
   again takes the server ~25 ms an agreement). The labels come from the page, translated; a
   failed request marks the cells "not checked". Without JavaScript a link renders the flags
   on the server instead. */
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
        table.setAttribute("data-checked", "1");
      })
      .catch(function () {
        var list = rows();
        for (var k = 0; k < list.length; k++) { mark(list[k], table.getAttribute("data-failed"), false, ""); }
        table.setAttribute("data-checked", "failed");
      });
  });
})();
