/* liang default theme: the photo viewer of galleries (partials/gallery).
 * Without JavaScript every thumbnail is a plain link to the large image;
 * with it, a click opens the image over the page with its caption,
 * previous and next (buttons, ← →, swipe), Esc or the close button to
 * leave. Focus stays inside while it is open and goes back to the
 * thumbnail afterwards. No library, nothing loaded from elsewhere. */
(function () {
  "use strict";
  var box, img, caption, count, prevButton, nextButton, closeButton;
  var links = [], index = 0, opener = null, touchX = null, touchY = null;

  function button(cls, label, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.setAttribute("aria-label", label);
    b.textContent = text;
    return b;
  }

  function build() {
    box = document.createElement("div");
    box.className = "lightbox";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-label", "查看照片");
    box.hidden = true;
    var figure = document.createElement("figure");
    img = document.createElement("img");
    img.alt = "";
    caption = document.createElement("figcaption");
    count = document.createElement("span");
    count.className = "lb-count";
    figure.appendChild(img);
    figure.appendChild(caption);
    closeButton = button("lb-close", "关闭", "×");
    prevButton = button("lb-prev", "上一张", "‹");
    nextButton = button("lb-next", "下一张", "›");
    box.appendChild(figure);
    box.appendChild(prevButton);
    box.appendChild(nextButton);
    box.appendChild(closeButton);
    document.body.appendChild(box);
    closeButton.addEventListener("click", close);
    prevButton.addEventListener("click", function () { show(index - 1); });
    nextButton.addEventListener("click", function () { show(index + 1); });
    box.addEventListener("click", function (e) { if (e.target === box) close(); });
    box.addEventListener("keydown", keydown);
    box.addEventListener("touchstart", function (e) {
      if (e.touches.length !== 1) return;
      touchX = e.touches[0].clientX;
      touchY = e.touches[0].clientY;
    }, { passive: true });
    box.addEventListener("touchend", function (e) {
      if (touchX === null) return;
      var dx = e.changedTouches[0].clientX - touchX, dy = e.changedTouches[0].clientY - touchY;
      touchX = null;
      if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) show(index + (dx < 0 ? 1 : -1));
      else if (dy > 80 && Math.abs(dy) > Math.abs(dx)) close();
    });
  }

  function show(i) {
    if (i < 0 || i >= links.length) return;
    index = i;
    var a = links[i], thumb = a.querySelector("img");
    img.src = a.getAttribute("href");
    img.alt = thumb ? thumb.alt : "";
    if (a.dataset.width) img.width = +a.dataset.width;
    if (a.dataset.height) img.height = +a.dataset.height;
    /* the gallery's title, written once on its list */
    caption.textContent = a.closest(".gallery").getAttribute("data-caption") || img.alt;
    if (links.length > 1) {
      count.textContent = "第 " + (i + 1) + " 张，共 " + links.length + " 张";
      caption.appendChild(document.createTextNode(" "));
      caption.appendChild(count);
    }
    prevButton.hidden = i === 0;
    nextButton.hidden = i === links.length - 1;
    /* the button pressed may have just been hidden: keep focus inside */
    if (!box.contains(document.activeElement) || document.activeElement.hidden) closeButton.focus();
    [i - 1, i + 1].forEach(function (j) {
      if (j >= 0 && j < links.length) new Image().src = links[j].getAttribute("href");
    });
  }

  function open(a) {
    if (!box) build();
    var list = a.closest(".gallery");
    links = Array.prototype.slice.call(list.querySelectorAll("a.thumb"));
    opener = a;
    box.hidden = false;
    document.documentElement.classList.add("lightbox-open");
    show(links.indexOf(a));
    closeButton.focus();
  }

  function close() {
    box.hidden = true;
    img.removeAttribute("src");
    document.documentElement.classList.remove("lightbox-open");
    if (opener) opener.focus();
    opener = null;
  }

  function keydown(e) {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "ArrowLeft") {
      e.preventDefault();
      show(index - 1);
    } else if (e.key === "ArrowRight") {
      e.preventDefault();
      show(index + 1);
    } else if (e.key === "Tab") {
      /* keep focus on the dialog's visible buttons, in a ring */
      var f = [prevButton, nextButton, closeButton].filter(function (b) { return !b.hidden; });
      var at = f.indexOf(document.activeElement);
      e.preventDefault();
      f[(at + (e.shiftKey ? f.length - 1 : 1)) % f.length].focus();
    }
  }

  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var a = e.target.closest && e.target.closest(".gallery a.thumb");
    if (!a) return;
    e.preventDefault();
    open(a);
  });
})();
