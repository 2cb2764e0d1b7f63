// Tidings signup form for embedding. The form works on its own as a plain HTML post; this
// script sends it to the JSON API in the background instead and shows the answer in place,
// with any problem beside its field. If the request cannot be made at all (the site is not
// in server.allowed_origins, or the network failed), the form is posted the plain way.
// After a plain post the reader comes back to #tidings-subscribed, a message in the snippet
// that its stylesheet shows while it is the page's target: no script needed for that.
(function () {
  "use strict";

  var SUBSCRIBED = "Thanks! Please check your inbox and confirm your subscription.";

  function pageWithoutStatus() {
    var url = new URL(window.location.href);
    url.searchParams.delete("tidings");
    url.hash = "";
    return url.toString();
  }

  function say(status, message, problem) {
    status.textContent = message.charAt(0).toUpperCase() + message.slice(1);
    status.classList.toggle("tidings-problem", Boolean(problem));
  }

  function clearErrors(form) {
    form.querySelectorAll(".tidings-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
  }

  // Shows each message after its field and moves focus to the first field named. A field
  // the reader cannot see (the newsletters of a form that joins them all) has its message
  // said in the status line instead.
  function showErrors(form, status, fields) {
    var first = null;
    Object.keys(fields).forEach(function (name) {
      var box = form.querySelector('[data-tidings-field="' + name + '"]');
      var input = form.elements[name];
      // Checkboxes sharing a name come as a list: the message goes with the first.
      if (input && !input.setAttribute) input = input[0];
      if (!box || !input) {
        if (input) say(status, fields[name], true);
        return;
      }
      var error = document.createElement("p");
      error.className = "tidings-error";
      error.id = "tidings-" + name + "-error";
      error.textContent = fields[name];
      box.appendChild(error);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
      first = first || input;
    });
    if (first) first.focus();
  }

  function body(form) {
    var value = function (name) {
      var input = form.elements[name];
      return input ? input.value.trim() : "";
    };
    var request = { email: value("email"), consent: form.elements.consent.checked };
    if (value("name")) request.name = value("name");
    if (value("source")) request.source = value("source");
    if (value("website")) request.website = value("website");
    var newsletters = chosenNewsletters(form);
    if (newsletters) request.newsletters = newsletters;
    return JSON.stringify(request);
  }

  // The newsletters the form names (hidden fields) or the reader ticked; null when it names
  // none (the default newsletter).
  function chosenNewsletters(form) {
    var inputs = form.querySelectorAll('input[name="newsletters"]');
    if (!inputs.length) return null;
    var chosen = [];
    inputs.forEach(function (input) {
      if (input.type !== "checkbox" || input.checked) chosen.push(input.value);
    });
    return chosen;
  }

  function setUp(form) {
    var status = form.querySelector("[data-tidings-status]");
    var button = form.querySelector('button[type="submit"]');
    var back = form.elements.return_to;
    if (back && !back.value) back.value = pageWithoutStatus();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var newsletters = chosenNewsletters(form);
      if (newsletters && !newsletters.length) {
        say(status, "Please choose at least one newsletter.", true);
        showErrors(form, status, { newsletters: "please choose at least one newsletter" });
        return;
      }
      say(status, "Sending\u2026", false);
      button.disabled = true;
      fetch(form.getAttribute("data-tidings-api"), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: body(form)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          button.disabled = false;
          if (response.ok) {
            form.reset();
            say(status, answer.message || SUBSCRIBED, false);
          } else {
            say(status, answer.error || "Something went wrong; please try again.", true);
            if (answer.fields) showErrors(form, status, answer.fields);
          }
        });
      }, function () {
        button.disabled = false;
        form.submit();
      });
    });
  }

  document.querySelectorAll("form[data-tidings-api]").forEach(setUp);
})();
