/* The main menu folds behind one button on narrow screens (CSS decides the width).
   Without JavaScript the button stays hidden and the menu is shown in full. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var nav = document.getElementById("site-nav");
    if (!nav) { return; }
    var button = nav.querySelector(".menu-toggle");
    if (!button) { return; }
    nav.classList.add("collapsible");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
