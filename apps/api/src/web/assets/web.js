// Progressive enhancement only: every form works without this file.
(function () {
  'use strict';

  // Ask for a comment before "request changes" or "reject" instead of a round trip to the server.
  var decision = document.getElementById('decision-form');
  if (decision) {
    decision.addEventListener('submit', function (event) {
      var button = event.submitter;
      var comment = document.getElementById('comment');
      if (!button || !button.hasAttribute('data-needs-comment') || !comment || comment.value.trim() !== '') return;
      event.preventDefault();
      var id = 'comment-needed';
      var note = document.getElementById(id);
      if (!note) {
        note = document.createElement('p');
        note.id = id;
        note.className = 'flash flash-error';
        note.setAttribute('role', 'alert');
        comment.parentNode.appendChild(note);
      }
      note.textContent = decision.getAttribute('data-comment-needed');
      comment.setAttribute('aria-invalid', 'true');
      comment.setAttribute('aria-describedby', 'comment-hint ' + id);
      comment.focus();
    });
  }

  // "Add a file row" for attachments; without JS there is always one empty row to fill.
  var add = document.getElementById('add-attachment');
  var rows = document.getElementById('attachment-rows');
  if (add && rows) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var n = rows.querySelectorAll('.attachment-row').length + 1;
      var row = document.createElement('div');
      row.className = 'attachment-row';
      [['attachmentName', 'attachment-name-', 'data-name-label', 300], ['attachmentRef', 'attachment-ref-', 'data-ref-label', 1000]].forEach(function (f) {
        var p = document.createElement('p');
        var label = document.createElement('label');
        var input = document.createElement('input');
        input.type = 'text';
        input.name = f[0];
        input.id = f[1] + n;
        input.maxLength = f[3];
        label.htmlFor = input.id;
        label.textContent = add.getAttribute(f[2]).replace('#', String(n));
        p.appendChild(label);
        p.appendChild(input);
        row.appendChild(p);
      });
      rows.appendChild(row);
      row.querySelector('input').focus();
    });
  }

  // A form that came back with a problem (the page re-rendered by the server): take the person to
  // the first field marked wrong, which may be far down a long page such as the dashboard.
  var invalid = document.querySelector('form [aria-invalid="true"]');
  if (invalid) {
    invalid.scrollIntoView({ block: 'center' });
    invalid.focus({ preventScroll: true });
  }

  // Narrow screens show list tables as cards (web.css); each cell says which column it is.
  var lists = document.querySelectorAll('table.list');
  for (var l = 0; l < lists.length; l++) {
    var heads = lists[l].querySelectorAll('thead th');
    var rows = lists[l].querySelectorAll('tbody tr');
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      for (var c = 0; c < cells.length && c < heads.length; c++) {
        if (!cells[c].hasAttribute('data-label')) cells[c].setAttribute('data-label', heads[c].textContent.trim());
      }
    }
  }
})();
