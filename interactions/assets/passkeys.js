// Passkeys on the hosted pages, with @simplewebauthn/browser (loaded before this file as
// SimpleWebAuthnBrowser). Each form marked data-passkey carries the server's options; its button stays
// hidden unless this browser can use WebAuthn, so a browser without it never sees it.
(function () {
  'use strict';
  var library = window.SimpleWebAuthnBrowser;
  if (!library || !library.browserSupportsWebAuthn()) return;

  function optionsOf(form) {
    var inline = form.getAttribute('data-passkey-options');
    if (inline) return Promise.resolve(JSON.parse(inline));
    var body = new window.URLSearchParams();
    body.set('csrf', form.elements.csrf.value);
    return window
      .fetch(form.getAttribute('data-passkey-options-url'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      })
      .then(function (response) {
        if (!response.ok) throw new Error('options');
        return response.json();
      });
  }

  function ceremony(kind, options) {
    return kind === 'register'
      ? library.startRegistration({ optionsJSON: options })
      : library.startAuthentication({ optionsJSON: options });
  }

  function enable(form) {
    var kind = form.getAttribute('data-passkey');
    var failed = form.querySelector('[data-passkey-failed]');
    form.querySelectorAll('[data-passkey-unsupported]').forEach(function (hint) {
      hint.hidden = true;
    });
    form.querySelectorAll('[data-passkey-only]').forEach(function (element) {
      element.hidden = false;
    });
    var start = form.querySelector('[data-passkey-start]');
    start.hidden = false;
    start.addEventListener('click', function () {
      if (!form.reportValidity()) return;
      if (failed) failed.hidden = true;
      start.disabled = true;
      optionsOf(form)
        .then(function (options) {
          return ceremony(kind, options);
        })
        .then(
          function (credential) {
            form.elements.credential.value = JSON.stringify(credential);
            form.submit();
          },
          function () {
            start.disabled = false;
            if (failed) failed.hidden = false;
          },
        );
    });
  }

  document.querySelectorAll('form[data-passkey]').forEach(enable);
  document.querySelectorAll('[data-passkey-section]').forEach(function (section) {
    section.hidden = false;
  });
})();
