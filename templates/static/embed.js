// Tidings signup form for embedding. The form works on its own as a plain HTML post; this
// script sends it to the JSON API in the background instead and shows the answer in place,
// with any problem beside its field. If the request cannot be made at all (the site is not
// in server.allowed_origins, or the network failed), the form is posted the plain way.
// After a plain post the reader comes back to #tidings-subscribed, a message in the snippet
// that its stylesheet shows while it is the page's target: no script needed for that.
//
// The form's words come in the snippet (the script element "tidings-words", by language
// tag). A form made for "the page's own language" (data-tidings-locale="page") is shown in
// the language of the page's <html lang> when the publication offers it, and signs the reader
// up in that language (the hidden "locale" field), consent sentence included; otherwise, and
// without script, it stays in the language it was made in.
(function () {
  "use strict";

  function parsedWords(form) {
    var block = form.querySelector("script.tidings-words");
    try {
      return JSON.parse(block ? block.textContent : "{}") || {};
    } catch (e) {
      return {};
    }
  }

  // The offered tag for a page's lang: the same tag, else the same language ("de-AT" finds
  // "de", "pt" finds "pt-BR"); null when none.
  function offeredTag(all, lang) {
    var wanted = (lang || "").trim().toLowerCase().replace(/_/g, "-");
    if (!wanted) return null;
    var tags = Object.keys(all);
    var language = function (tag) { return tag.toLowerCase().split("-")[0]; };
    var same = tags.filter(function (tag) { return tag.toLowerCase() === wanted; });
    if (same.length) return same[0];
    var near = tags.filter(function (tag) { return language(tag) === language(wanted); });
    return near.length ? near[0] : null;
  }

  // Shows the form in `tag` and signs readers up in it.
  function speak(form, tag, words) {
    form.setAttribute("lang", tag);
    form.setAttribute("dir", words.dir || "ltr");
    if (form.elements.locale) form.elements.locale.value = tag;
    form.querySelectorAll("[data-tidings-text]").forEach(function (element) {
      var text = (words.texts || {})[element.getAttribute("data-tidings-text")];
      if (text) element.textContent = text;
    });
    var consent = form.querySelector("[data-tidings-consent]");
    // The consent label is the publication's own markup (its links), from this snippet.
    if (consent && words.consent) consent.innerHTML = words.consent;
  }

  // The words of the form's language, after choosing the page's when the form asks to.
  function wordsOf(form) {
    var all = parsedWords(form);
    var tag = form.elements.locale ? form.elements.locale.value : "";
    if (form.getAttribute("data-tidings-locale") === "page") {
      var found = offeredTag(all, document.documentElement.lang);
      if (found) {
        tag = found;
        speak(form, tag, all[tag]);
      }
    }
    return all[tag] || {};
  }

  // "Please correct the highlighted fields below." for this many fields.
  function checkFields(words, count) {
    var forms = words.check || [];
    return forms[Math.min(count, forms.length) - 1];
  }

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
    if (value("locale")) request.locale = value("locale");
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
    var words = wordsOf(form);
    var status = form.querySelector("[data-tidings-status]");
    var button = form.querySelector('button[type="submit"]');
    var back = form.elements.return_to;
    if (back && !back.value) back.value = pageWithoutStatus();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var newsletters = chosenNewsletters(form);
      if (newsletters && !newsletters.length) {
        say(status, words.choose_sentence || "", true);
        showErrors(form, status, { newsletters: words.choose || "" });
        return;
      }
      say(status, words.sending || "", false);
      button.disabled = true;
      fetch(form.getAttribute("data-tidings-api"), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: body(form)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          button.disabled = false;
          var texts = words.texts || {};
          var fields = answer.fields || {};
          var count = Object.keys(fields).length;
          if (response.ok) {
            // Hidden fields keep what the script set (their value is their attribute).
            form.reset();
            // The API's answer is in the language the form sent.
            say(status, answer.message || texts.subscribed || "", false);
          } else if (response.status === 429) {
            say(status, texts["rate-limited"] || "", true);
          } else {
            say(status, (count && checkFields(words, count)) || words.failed || "", true);
            // The API says these in the language the form sent.
            if (count) showErrors(form, status, fields);
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
