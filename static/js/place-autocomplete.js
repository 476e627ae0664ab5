/* Place suggestions for the proposal form (/proposer/).
 *
 * An enhancement only: without this script the server resolves the typed
 * text itself (initiatives/forms.py). While the visitor types, it asks
 * /proposer/lieux/?q=… for matching communes, arrondissements and QPV and
 * offers their labels in the <datalist>; a chosen label ("Nantes (44109)")
 * is what the server recognises exactly. Vanilla, no dependency.
 */
(function () {
  "use strict";
  var input = document.querySelector("input[data-place-lookup]");
  if (!input || !window.fetch || !window.AbortController) {
    return;
  }
  var list = document.getElementById(input.getAttribute("data-place-list"));
  var status = document.getElementById("place-status");
  if (!list) {
    return;
  }
  var url = input.getAttribute("data-place-lookup");
  var timer = null;
  var controller = null;
  var last = null;

  input.setAttribute("list", list.id);

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function fill(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.label;  // text, never HTML
      list.appendChild(option);
    });
    if (items.length) {
      say(items.length + (items.length > 1 ? " lieux proposés" : " lieu proposé"));
    } else {
      say("");
    }
  }

  function lookup() {
    var query = input.value.trim();
    if (query === last) {
      return;
    }
    last = query;
    if (controller) {
      controller.abort();
    }
    if (query.length < 2 || query.length > 200) {
      fill([]);
      return;
    }
    controller = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(query), {
      signal: controller.signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (items) {
        fill(Array.isArray(items) ? items : []);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          fill([]);
        }
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 200);
  });
})();
