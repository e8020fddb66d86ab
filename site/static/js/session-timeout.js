// Idle timeout warning (hrportal/accounts/sessions.py): asks the server how long the session has left, shows
// a banner shortly before the end with a button that keeps the session, and reloads at the end (which leads
// to the login page). The status check itself does not count as activity, so an idle tab does not keep the
// session alive; activity in another tab does, and the next check sees it.
(function () {
  "use strict";
  var script = document.querySelector("script[data-session-status-url]");
  if (!script) {
    return;
  }
  var statusUrl = script.getAttribute("data-session-status-url");
  var timer = null;
  var banner = null;
  var info = null;

  function hide() {
    if (banner) {
      banner.hidden = true;
    }
  }

  function show(data) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "session-timeout";
      banner.setAttribute("role", "alertdialog");
      banner.setAttribute("aria-live", "assertive");
      banner.setAttribute("data-session-timeout", "");
      // Styled through the CSSOM, which a CSP without 'unsafe-inline' for styles allows (portal and admin).
      var style = banner.style;
      style.position = "fixed";
      style.left = "1rem";
      style.right = "1rem";
      style.bottom = "1rem";
      style.zIndex = "1000";
      style.padding = "1rem";
      style.background = "#fff8e6";
      style.border = "2px solid #8a5a00";
      style.color = "#1a1a1a";
      var text = document.createElement("p");
      text.textContent = data.message;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = data.button;
      button.addEventListener("click", keep);
      banner.appendChild(text);
      banner.appendChild(button);
      document.body.appendChild(banner);
    }
    banner.hidden = false;
    banner.querySelector("button").focus();
  }

  function schedule(data) {
    info = data;
    clearTimeout(timer);
    if (data.remaining <= 0) {
      window.location.reload();
      return;
    }
    if (data.remaining > data.warn) {
      hide();
      timer = setTimeout(check, (data.remaining - data.warn) * 1000);
    } else {
      show(data);
      timer = setTimeout(check, Math.min(data.remaining, 15) * 1000);
    }
  }

  function check() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(schedule)
      .catch(function () {
        timer = setTimeout(check, 30000);
      });
  }

  function keep() {
    fetch(info.keepalive, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": info.csrf },
    })
      .then(function () {
        check();
      })
      .catch(check);
  }

  check();
})();
