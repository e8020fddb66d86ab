// Background job progress: polls the job's status (JSON) and updates the progress bar in place; when the job
// ends it reloads the page, which then shows the result. Without JavaScript a <noscript> refresh does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.getAttribute("data-job-finished") === "true") {
    return;
  }
  var url = box.getAttribute("data-job-status-url");
  var delay = 1500;

  function set(field, value) {
    var el = box.querySelector('[data-job-field="' + field + '"]');
    if (!el) {
      return;
    }
    if (el.tagName === "PROGRESS") {
      el.value = value;
      el.textContent = value + " %";
    } else {
      el.textContent = value;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.reload();
          return;
        }
        set("status_label", job.status_label);
        set("done", job.done);
        set("total", job.total);
        set("percent", job.percent);
        set("announce", job.percent + " %");
        delay = 1500;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000); // the server is busy or away: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
