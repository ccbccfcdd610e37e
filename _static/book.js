/* Fill "How to cite" blocks with the address the reader is viewing (no network request). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".cite-url").forEach(function (el) {
    el.textContent = window.location.href.split("#")[0];
  });
});
