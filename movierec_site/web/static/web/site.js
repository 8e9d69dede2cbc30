// movierec's own behaviour on top of htmx:
// - a request that fails (no network, an error answer, a timeout) says so inside the part of
//   the page that was updating, with a "Try again" button, instead of leaving it stale;
// - a rating made inside the picks does not reload them (the card would vanish under the
//   pointer): it offers "Show updated picks" instead;
// - focus is never dropped on the page's body by a swap.
(function () {
  "use strict";

  const REASONS = {
    "htmx:sendError": "the server could not be reached. Check your connection.",
    "htmx:timeout": "the server took too long to answer.",
  };

  function reason(event) {
    if (REASONS[event.type]) return REASONS[event.type];
    const status = event.detail.xhr.status;
    if (status === 403) return "you may have been signed out (error 403). Reload the page.";
    if (status >= 500) return `something went wrong on our side (error ${status}).`;
    return `the request was refused (error ${status}).`;
  }

  function retry(config, focusId) {
    const focused = focusId && document.getElementById(focusId);
    // Focus goes back to the control that was used, so htmx restores it after the swap.
    if (focused) focused.focus();
    htmx.ajax(config.verb.toUpperCase(), config.path, {
      source: config.elt,
      target: config.target,
      values: Object.fromEntries(config.formData),
    });
  }

  function failureShow(event) {
    const config = event.detail.requestConfig;
    const target = config && config.target;
    if (!target || !target.isConnected) return;
    const what = target.closest("[data-failure]")?.dataset.failure || "This did not update";
    const notice = document.createElement("div");
    notice.className = "request-failure";
    notice.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = `${what}: ${reason(event)}`;
    const again = document.createElement("button");
    again.type = "button";
    again.className = "small-button";
    again.textContent = "Try again";
    const focusId = document.activeElement && document.activeElement.id;
    again.addEventListener("click", () => retry(config, focusId));
    notice.append(text, again);
    target.querySelector(":scope > .request-failure")?.remove();
    target.prepend(notice);
  }

  for (const name of ["htmx:responseError", "htmx:sendError", "htmx:timeout"]) {
    document.addEventListener(name, failureShow);
  }

  // A rating, "Not interested" or "Want to watch" inside the picks: the card stays where it
  // is and "Show updated picks" appears.
  for (const name of ["rated", "marked"]) {
    document.addEventListener(name, (event) => {
      const picks = document.getElementById("picks");
      if (picks && picks.contains(event.target)) {
        picks.querySelector(".picks-stale")?.removeAttribute("hidden");
      }
    });
  }

  // A swap that removes the focused control (a Remove button, "Show updated picks") would
  // drop focus on the page's body: it moves to the first star or heading of the new part.
  let focusWasIn = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    focusWasIn = target && target.contains(document.activeElement) ? target : null;
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (!focusWasIn) return;
    focusWasIn = null;
    if (document.activeElement && document.activeElement !== document.body) return;
    event.target.querySelector("[data-focus-after-swap], button.star")?.focus();
  });
})();
