/* The signing board's batch panel: "select all" ticks every agreement ready for countersigning,
   and the panel counts the ticked ones as they change. Without JavaScript the boxes still work;
   only the count stays at 0. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("batch-form");
    var all = document.getElementById("select-all");
    var count = document.getElementById("batch-count");
    if (!form || !count) { return; }
    function boxes() { return form.querySelectorAll("input[type=checkbox][name=agreement]"); }
    function update() {
      var list = boxes(), ticked = 0;
      for (var i = 0; i < list.length; i++) { if (list[i].checked) { ticked++; } }
      count.textContent = String(ticked);
      if (all) {
        all.checked = list.length > 0 && ticked === list.length;
        all.indeterminate = ticked > 0 && ticked < list.length;
      }
    }
    if (all) {
      all.addEventListener("change", function () {
        var list = boxes();
        for (var i = 0; i < list.length; i++) { list[i].checked = all.checked; }
        update();
      });
    }
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "agreement") { update(); }
    });
    update();
  });
})();
