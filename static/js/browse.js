/* The list of initiatives (/initiatives/): enhancements only, the page works without them.
 *
 * - A ticked filter, or a changed sort, applies at once (without the script:
 *   the "Appliquer" buttons, kept at hand at the bottom of the panel).
 * - On a narrow screen the filter panel folds behind a "Filtres (n actifs)"
 *   button, so results come first (without the script: the panel follows
 *   the results, and a link leads to it).
 * - Long facets (départements, mots-clés…) get a box that narrows their
 *   values as one types, accents ignored.
 * Vanilla, no dependency.
 */
(function () {
  "use strict";
  var form = document.getElementById("browse-form");
  if (!form) {
    return;
  }
  var panel = document.getElementById("filtres");
  var toggle = form.querySelector(".filters-toggle");
  var layout = form.querySelector(".browse-layout");
  var narrow = window.matchMedia("(max-width: 55rem)");

  function submit() {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  // Empty fields stay out of the address ("?theme=x", not "?q=&ou=&theme=x").
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=q], input[name=ou]"), function (input) {
      if (input.value.trim() === "") {
        input.disabled = true;
      }
    });
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.querySelectorAll("input[disabled]"), function (input) {
      input.disabled = false;
    });
  });

  form.addEventListener("change", function (event) {
    var target = event.target;
    if ((target.type === "checkbox" && panel.contains(target)) || target.id === "tri" || target.id === "par_page") {
      form.setAttribute("aria-busy", "true");
      submit();
    }
  });
  Array.prototype.forEach.call(form.querySelectorAll(".apply-button"), function (button) {
    button.hidden = true;
  });

  function fold() {
    var open = toggle.getAttribute("aria-expanded") === "true";
    if (narrow.matches) {
      panel.hidden = !open;
      layout.classList.toggle("filters-open", open);
    } else {
      panel.hidden = false;
      layout.classList.remove("filters-open");
    }
  }
  if (toggle) {
    toggle.hidden = false;
    form.querySelector(".filters-link").hidden = true;
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
      fold();
      if (!panel.hidden) {
        panel.focus();
      }
    });
    if (narrow.addEventListener) {
      narrow.addEventListener("change", fold);
    }
    fold();
  }

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  Array.prototype.forEach.call(panel.querySelectorAll("fieldset[data-filter]"), function (fieldset, n) {
    var id = "filtre-facette-" + n;
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = id;
    label.textContent = fieldset.getAttribute("data-filter");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "facet-filter";
    input.placeholder = fieldset.getAttribute("data-filter") + "…";
    var legend = fieldset.querySelector("legend");
    legend.insertAdjacentElement("afterend", input);
    legend.insertAdjacentElement("afterend", label);
    var more = fieldset.querySelector("details.more");
    input.addEventListener("input", function () {
      var wanted = folded(input.value.trim());
      Array.prototype.forEach.call(fieldset.querySelectorAll("li"), function (item) {
        item.hidden = wanted !== "" && folded(item.textContent).indexOf(wanted) === -1;
      });
      if (more && wanted !== "") {
        more.open = true;
      }
    });
  });
})();
