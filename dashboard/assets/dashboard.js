// driftwatch dashboard: narrows the matrix as the filter is typed. Served from /assets/dashboard.js; the page
// reads the same without it (the filter form then asks the server, which marks the same rows hidden).
(() => {
  const form = document.getElementById('filter');
  const table = document.getElementById('matrix');
  const count = document.getElementById('shown-count');
  if (!form || !table || !count) return;
  const query = form.elements.namedItem('q');
  const status = form.elements.namedItem('status');
  const rows = Array.from(table.tBodies[0].rows);
  const summary = count.textContent.replace(/^\d+ of \d+ keys shown/, '');

  // The same test as rowMatches in src/server/dashboard/dashboard-routes.ts.
  function matches(row, text, wanted) {
    const key = row.dataset.key.toLowerCase();
    if (text !== '' && !key.includes(text)) return false;
    if (wanted === 'all') return true;
    if (wanted === 'drift') return row.dataset.status !== 'same';
    if (wanted === 'secret') return row.dataset.secret === 'true';
    return row.dataset.status === wanted;
  }

  function apply() {
    const text = query.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const visible = matches(row, text, status.value);
      row.hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = `${shown} of ${rows.length} keys shown${summary}`;
  }

  query.addEventListener('input', apply);
  status.addEventListener('change', apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
    const params = new URLSearchParams();
    if (query.value !== '') params.set('q', query.value);
    if (status.value !== 'all') params.set('status', status.value);
    const search = params.toString();
    history.replaceState(null, '', search === '' ? location.pathname : `?${search}`);
  });
})();
