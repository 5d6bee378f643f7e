// The plan verification page: polls the job's progress (CSP forbids inline scripts, so it lives here).
// Without JS the page has a "refresh" link and shows the same progress on each load.
(function () {
  'use strict';
  var job = document.getElementById('job');
  if (!job || job.getAttribute('data-finished') === 'true') return;
  var url = job.getAttribute('data-progress-url');
  var template = job.getAttribute('data-progress-text') || '{done}/{total}';
  var status = document.getElementById('job-status');
  var bar = document.getElementById('job-progress');
  var lastAnnounced = -1;

  function poll() {
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : Promise.reject(new Error(String(res.status))); })
      .then(function (p) {
        if (p.finished) { window.location.reload(); return; }
        if (bar) { bar.max = Math.max(p.total, 1); bar.value = p.done; }
        // Announce every change of the count once; a screen reader is not flooded by identical updates.
        if (status && p.done !== lastAnnounced) {
          lastAnnounced = p.done;
          status.textContent = template.replace('{done}', String(p.done)).replace('{total}', String(p.total));
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
