/* liang default theme: the 大字 (large text) switch. The page works the
 * same without it; the choice is kept in localStorage. */
(function () {
  var root = document.documentElement;
  var button = document.querySelector(".size-toggle");
  if (!button) return;
  function show() {
    var on = root.classList.contains("large");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "标准字" : "大字";
  }
  button.hidden = false;
  show();
  button.addEventListener("click", function () {
    root.classList.toggle("large");
    try {
      localStorage.setItem("liang-large", root.classList.contains("large") ? "1" : "0");
    } catch (e) { /* private mode: the switch still works for this page */ }
    show();
  });
})();
