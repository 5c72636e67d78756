// The participant view: facilitator notes hidden, on screen and in print, in one click,
// remembered from page to page (and on a USB stick: localStorage works from file://).
// Loaded in <head> so that a page never shows the notes before hiding them. Without
// JavaScript the page shows everything and says where the participants' version is.
(function () {
  var root = document.documentElement;
  var key = "aula-view";
  var saved = null;
  try { saved = window.localStorage.getItem(key); } catch (e) { /* storage off */ }
  if (saved === "participant") root.setAttribute("data-view", "participant");
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.view-toggle");
    var sync = function () {
      var on = root.getAttribute("data-view") === "participant";
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    };
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var on = root.getAttribute("data-view") !== "participant";
        if (on) root.setAttribute("data-view", "participant"); else root.removeAttribute("data-view");
        try { window.localStorage.setItem(key, on ? "participant" : "facilitator"); } catch (e) { /* storage off */ }
        sync();
      });
    }
    sync();
    // On a phone the module navigation comes after the page: the link to it becomes a
    // menu button that shows it above the page (without JavaScript the link still works).
    var jump = document.querySelector(".nav-jump a");
    var nav = document.getElementById("modules");
    if (jump && nav) {
      jump.setAttribute("role", "button");
      jump.setAttribute("aria-controls", "modules");
      jump.setAttribute("aria-expanded", "false");
      jump.addEventListener("click", function (e) {
        e.preventDefault();
        var open = !root.classList.contains("nav-open");
        root.classList.toggle("nav-open", open);
        jump.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) nav.focus();
      });
      nav.setAttribute("tabindex", "-1");
    }
  });
})();
