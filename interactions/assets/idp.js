// Small enhancements of the hosted pages. Every page works without them: the buttons they drive stay
// hidden until this script shows them.
(function () {
  'use strict';

  function reveal(button) {
    var field = document.getElementById(button.getAttribute('data-reveal'));
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var showing = field.type === 'text';
      field.type = showing ? 'password' : 'text';
      button.textContent = button.getAttribute(showing ? 'data-show' : 'data-hide');
      button.setAttribute('aria-pressed', String(!showing));
      field.focus();
    });
  }

  function copy(button) {
    if (!navigator.clipboard) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(button.getAttribute('data-copy-text')).then(function () {
        button.textContent = button.getAttribute('data-copied');
        setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
    });
  }

  function print(button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  }

  document.querySelectorAll('[data-reveal]').forEach(reveal);
  document.querySelectorAll('[data-copy-text]').forEach(copy);
  document.querySelectorAll('button.print').forEach(print);
})();
