/* Sends a form marked data-auto-submit as soon as the page loads: the "one-click" unsubscribe link in a
 * newsletter then takes one click, while the state still changes only by POST (the button stays for
 * browsers without JavaScript). Used only where a mail scanner that runs scripts does little harm: an
 * unsubscription, never a subscription. */
(function () {
  "use strict";

  function submit() {
    document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      var button = form.querySelector("button");
      if (button) button.disabled = true; // no second POST from an impatient click
      form.submit();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", submit);
  else submit();
})();
