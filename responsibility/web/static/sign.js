/* The sign page: bring the signer's own signature field into view.
 * The preview (page images) scrolls to the field's page; on a phone, where the preview is
 * below the fold, a page that comes back with an error (wrong PIN, lock) scrolls to the form. */
(function () {
  "use strict";
  function ready() {
    var problem = document.querySelector("#sign-form .field-error, #sign-error, #pin-lock");
    var target = problem || null;
    if (!target) {
      var preview = document.getElementById("pdf-pages") || document.getElementById("pdf-preview");
      var page = preview && preview.getAttribute("data-signature-page");
      var image = page && document.querySelector("[data-pdf-page='" + page + "']");
      if (image && image.scrollIntoView) { image.scrollIntoView({block: "center"}); }
      return;
    }
    if (target.scrollIntoView) { target.scrollIntoView({block: "center"}); }
    var pin = document.querySelector("#sign-form input[name=pin]");
    if (pin && problem && problem.closest && problem.closest("#sign-form")) { pin.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
