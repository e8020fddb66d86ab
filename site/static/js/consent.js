/* Ansatte cookie consent: nothing of an optional category (cookie, script, even a request) before consent.
 *
 * Pages are cached and identical for everyone: the banner HTML is static, the visitor's choice lives in a
 * first-party cookie ("<consent id>|<cat+cat>|<epoch>|<time>") and the site-wide config (scripts per
 * category, current epoch) comes from /consent/config/. A stored choice from another epoch (material
 * cookie-policy change, new category in use) no longer counts and the banner comes back.
 * Forms on cached pages marked data-csrf-fetch get their CSRF token from /consent/csrf/ on submit (and,
 * with data-csrf-method="post", are sent as POST: their HTML says GET, the fallback without JavaScript).
 */
(function () {
  "use strict";

  var ENDPOINTS = { config: "/consent/config/", csrf: "/consent/csrf/", give: "/consent/" };
  var cookieName = "ansatte_consent";
  var config = null;
  var activated = {};
  var returnFocus = null;
  var banner = document.querySelector("[data-consent-banner]");
  var statusBox = document.querySelector("[data-consent-status]");

  function readConsent() {
    var match = document.cookie.split("; ").filter(function (c) {
      return c.indexOf(cookieName + "=") === 0;
    })[0];
    if (!match) return null;
    var value = decodeURIComponent(match.slice(cookieName.length + 1)).replace(/^"|"$/g, "");
    var parts = value.split("|");
    if (parts.length !== 4) return null;
    var given = parseInt(parts[3], 10) * 1000;
    if (!given || Date.now() - given > 365 * 24 * 3600 * 1000) return null; // 12 months at most
    return { id: parts[0], categories: parts[1] ? parts[1].split("+") : [], epoch: parts[2] };
  }

  function validConsent() {
    var consent = readConsent();
    return consent && config && consent.epoch === config.epoch ? consent : null;
  }

  function activate(categories) {
    // Scripts rendered inert in the HTML: <script type="text/plain" data-consent-category="…" data-src="…">.
    document.querySelectorAll('script[type="text/plain"][data-consent-category]').forEach(function (inert) {
      if (categories.indexOf(inert.getAttribute("data-consent-category")) === -1) return;
      // A URL only: the site's CSP runs no inline script, so an inert one's text is never made live.
      if (!inert.getAttribute("data-src")) return;
      var live = document.createElement("script");
      live.src = inert.getAttribute("data-src");
      inert.parentNode.replaceChild(live, inert);
    });
    (config ? config.scripts : []).forEach(function (script) {
      if (activated[script.id] || categories.indexOf(script.category) === -1) return;
      activated[script.id] = script.category;
      var element = document.createElement("script");
      element.setAttribute("data-consent-script", script.name);
      element.setAttribute("data-consent-category", script.category);
      if (!script.src) return;  // a tracking script is a URL (cms_pages/consent/models.py), never code
      element.src = script.src;
      element.async = true;
      document.head.appendChild(element);
    });
  }

  function deleteCookiesOf(categories) {
    // Withdrawal: remove first-party cookies the declaration places in a withdrawn category.
    var patterns = (config ? config.cookies : []).filter(function (c) {
      return categories.indexOf(c.category) !== -1;
    }).map(function (c) {
      return new RegExp("^" + c.name.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
    });
    var host = location.hostname.split(".");
    var domains = [""];
    for (var i = 0; i < host.length - 1; i++) domains.push("; domain=." + host.slice(i).join("."));
    document.cookie.split("; ").forEach(function (pair) {
      var name = pair.split("=")[0];
      if (!patterns.some(function (p) { return p.test(name); })) return;
      domains.forEach(function (domain) {
        document.cookie = name + "=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/" + domain;
      });
    });
  }

  // One token per page view, fetched once: two fetches in flight without a CSRF cookie (a consent choice
  // and a form sent right after it) would each make the server set a new cookie, and whichever response
  // came last would leave the other's token not matching the cookie ("CSRF token incorrect").
  var tokenPromise = null;
  function csrfToken() {
    if (!tokenPromise) {
      tokenPromise = fetch(ENDPOINTS.csrf, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) {
          if (!r.ok) throw new Error("no CSRF token: " + r.status);
          return r.json();
        })
        .then(function (data) { return data.csrfToken; })
        .catch(function (error) {
          tokenPromise = null; // the next attempt asks again
          throw error;
        });
    }
    return tokenPromise;
  }

  function receiptUrl(id) {
    return banner.getAttribute("data-receipt-url").replace("00000000-0000-0000-0000-000000000000", id);
  }

  function setDetails(open) {
    banner.querySelector("#consent-details").hidden = !open;
    var choose = banner.querySelector('[data-consent-action="choose"]');
    choose.hidden = open;
    choose.setAttribute("aria-expanded", open ? "true" : "false");
    banner.querySelector('[data-consent-action="custom"]').hidden = !open;
  }

  function openBanner(byUser) {
    if (!banner) return;
    var consent = validConsent();
    banner.querySelectorAll('input[name="categories"]:not([disabled])').forEach(function (box) {
      box.checked = !!consent && consent.categories.indexOf(box.value) !== -1; // never pre-ticked
    });
    var receipt = banner.querySelector("[data-consent-receipt]");
    receipt.hidden = !consent;
    if (consent) receipt.querySelector("a").href = receiptUrl(consent.id);
    setDetails(!!byUser);
    banner.hidden = false;
    if (statusBox) statusBox.hidden = true;
    if (byUser) {
      returnFocus = document.activeElement;
      banner.scrollIntoView({ block: "start" });
      banner.querySelector("#consent-title").focus();
    }
  }

  function closeBanner() {
    banner.hidden = true;
    setDetails(false);
  }

  function choose(choice) {
    var categories = [];
    banner.querySelectorAll('input[name="categories"]:checked:not([disabled])').forEach(function (box) {
      categories.push(box.value);
    });
    var previous = validConsent();
    var buttons = banner.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    return csrfToken()
      .then(function (token) {
        return fetch(ENDPOINTS.give, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify({
            choice: choice,
            categories: categories,
            language: document.documentElement.lang,
          }),
        });
      })
      .then(function (response) {
        if (!response.ok) throw new Error("consent not saved: " + response.status);
        return response.json();
      })
      .then(function (data) {
        var withdrawn = Object.keys(activated).map(function (k) { return activated[k]; })
          .concat(previous ? previous.categories : [])
          .filter(function (c) { return data.categories.indexOf(c) === -1; });
        closeBanner();
        if (withdrawn.length) {
          deleteCookiesOf(withdrawn);
          var running = Object.keys(activated).some(function (k) { return withdrawn.indexOf(activated[k]) !== -1; });
          if (running) { // a script that already runs cannot be unloaded: start the page afresh
            location.reload();
            return;
          }
        }
        activate(data.categories);
        if (statusBox) {
          statusBox.querySelector("[data-consent-status-receipt]").href = data.receiptUrl;
          statusBox.hidden = false;
          statusBox.focus();
        }
        if (returnFocus && document.body.contains(returnFocus)) returnFocus.focus();
        returnFocus = null;
      })
      .catch(function () {
        banner.hidden = false; // the choice was not saved: keep asking, change nothing
      })
      .then(function () {
        buttons.forEach(function (b) { b.disabled = false; });
      });
  }

  function bindBanner() {
    banner.addEventListener("click", function (event) {
      var button = event.target.closest("[data-consent-action]");
      if (!button) return;
      var action = button.getAttribute("data-consent-action");
      if (action === "choose") {
        setDetails(true);
        var first = banner.querySelector('input[name="categories"]:not([disabled])');
        if (first) first.focus();
        return;
      }
      choose(action);
    });
    banner.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && validConsent()) { // a choice exists: closing changes nothing
        closeBanner();
        if (returnFocus) returnFocus.focus();
      }
    });
    document.addEventListener("click", function (event) {
      var opener = event.target.closest("[data-consent-open]");
      if (!opener || !config) return;
      event.preventDefault();
      openBanner(true);
    });
  }

  function bindCsrfForms() {
    document.querySelectorAll("form[data-csrf-fetch]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
        if (field && field.value) return;
        event.preventDefault();
        csrfToken().then(function (token) {
          if (!field) {
            field = document.createElement("input");
            field.type = "hidden";
            field.name = "csrfmiddlewaretoken";
            form.appendChild(field);
          }
          field.value = token;
          // A form that must work without JavaScript says GET in the HTML (to an uncached page with a
          // form of its own); with a token in hand it is sent as the POST it stands for.
          if (form.getAttribute("data-csrf-method")) form.method = form.getAttribute("data-csrf-method");
          form.submit();
        });
      });
    });
  }

  function init() {
    bindCsrfForms();
    if (!banner) return;
    bindBanner();
    fetch(ENDPOINTS.config, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        config = data;
        cookieName = data.cookieName || cookieName;
        var consent = validConsent();
        if (consent) activate(consent.categories);
        else openBanner(false);
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
