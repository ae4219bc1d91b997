// Progressive enhancement of quiz pages. Without this script every part still works: the timer is
// enforced by the server and sort cards are answered with one select per card.
(function () {
  "use strict";

  // --- Exam timer: ticks visually every second, announces to screen readers only at milestones.
  var timer = document.querySelector(".exam-timer");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10);
    var shown = timer.querySelector(".timer-value");
    var announce = timer.querySelector(".timer-announce");
    var milestones = { 600: "10 minutes left", 300: "5 minutes left", 60: "1 minute left" };
    var format = function (seconds) {
      var m = Math.floor(seconds / 60), s = seconds % 60;
      return m + ":" + (s < 10 ? "0" : "") + s;
    };
    shown.textContent = format(left);
    var tick = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        window.clearInterval(tick);
        announce.textContent = "Time is up.";
        window.location.href = timer.getAttribute("data-expire-url");
        return;
      }
      shown.textContent = format(left);
      if (milestones[left]) { announce.textContent = milestones[left]; }
    }, 1000);
  }

  // --- Sort into buckets: drag cards with a mouse or a finger; the select in each card stays the
  // answer (and the keyboard's way to answer), so dropping a card just sets its select.
  var form = document.querySelector(".sort-form");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(form.querySelectorAll(".sort-card"));
  var owners = [["aws", "AWS"], ["customer", "Customer"], ["shared", "Shared"]];
  var board = document.createElement("div");
  board.className = "sort-board";
  var pool = document.createElement("div");
  pool.className = "sort-bucket sort-pool";
  pool.setAttribute("data-owner", "");
  pool.innerHTML = "<h3 class=\"h6\">Not placed yet</h3>";
  board.appendChild(pool);
  var buckets = { "": pool };
  owners.forEach(function (pair) {
    var bucket = document.createElement("div");
    bucket.className = "sort-bucket bucket-" + pair[0];
    bucket.setAttribute("data-owner", pair[0]);
    bucket.innerHTML = "<h3 class=\"h6\">" + pair[1] + "</h3>";
    buckets[pair[0]] = bucket;
    board.appendChild(bucket);
  });
  form.querySelector(".sort-cards").replaceWith(board);
  form.classList.add("is-enhanced");

  var place = function (card) {
    var select = card.querySelector("select");
    // Moving a node drops its focus: give it back, or keyboard users lose their place.
    var hadFocus = document.activeElement === select;
    buckets[select.value || ""].appendChild(card);
    if (hadFocus) { select.focus(); }
  };
  cards.forEach(function (card) {
    var handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    card.insertBefore(handle, card.firstChild);
    card.querySelector("select").addEventListener("change", function () { place(card); });
    place(card);

    card.addEventListener("pointerdown", function (event) {
      if (event.target.closest("select, option, label")) { return; }
      event.preventDefault();
      card.setPointerCapture(event.pointerId);
      card.classList.add("is-dragging");
      var startX = event.clientX, startY = event.clientY, startScroll = window.scrollY;
      var lastX = startX, lastY = startY, edgeSpeed = 0, frame = 0;
      var follow = function () {
        card.style.transform = "translate(" + (lastX - startX) + "px," +
          (lastY - startY + window.scrollY - startScroll) + "px)";
      };
      // On a phone the buckets stack in one column, mostly out of sight, and a finger on a card
      // cannot scroll the page: scroll it while the card is held near the top or bottom edge.
      var scrollStep = function () {
        window.scrollBy(0, edgeSpeed);
        follow();
        frame = edgeSpeed ? window.requestAnimationFrame(scrollStep) : 0;
      };
      var move = function (e) {
        lastX = e.clientX;
        lastY = e.clientY;
        edgeSpeed = lastY > window.innerHeight - 48 ? 12 : (lastY < 48 ? -12 : 0);
        follow();
        if (edgeSpeed && !frame) { frame = window.requestAnimationFrame(scrollStep); }
      };
      var drop = function (e) {
        edgeSpeed = 0;
        window.cancelAnimationFrame(frame);
        frame = 0;
        card.removeEventListener("pointermove", move);
        card.removeEventListener("pointerup", drop);
        card.removeEventListener("pointercancel", drop);
        card.classList.remove("is-dragging");
        card.style.transform = "";
        card.style.visibility = "hidden";
        var under = document.elementFromPoint(e.clientX, e.clientY);
        card.style.visibility = "";
        var bucket = under && under.closest(".sort-bucket");
        if (bucket) {
          var select = card.querySelector("select");
          select.value = bucket.getAttribute("data-owner");
          place(card);
        }
      };
      card.addEventListener("pointermove", move);
      card.addEventListener("pointerup", drop);
      card.addEventListener("pointercancel", drop);
    });
  });
})();
