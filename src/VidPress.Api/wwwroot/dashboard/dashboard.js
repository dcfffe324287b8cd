// The ops dashboard: plain JavaScript against the public REST API, polling once a second.
(() => {
  const state = { key: localStorage.getItem('vidpress.apiKey') || '', selected: null, timer: null, polling: false };
  const $ = (s) => document.querySelector(s);
  const text = (v) => document.createTextNode(v == null ? '' : String(v));
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) k === 'class' ? (e.className = v) : e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : text(c));
    return e;
  };

  async function api(path) {
    const headers = state.key ? { 'X-Api-Key': state.key } : {};
    const response = await fetch(path, { headers });
    if (response.status === 401) { notice('This service needs an API key: enter one above.'); throw new Error('unauthorised'); }
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  function notice(message) { const n = $('#notice'); n.textContent = message; n.hidden = !message; }

  function renderJobs(videos) {
    const body = $('#job-table tbody');
    body.replaceChildren(...videos.map((v) => {
      const row = el('tr', { 'data-id': v.id, class: v.id === state.selected ? 'selected' : '' },
        el('td', {}, v.title || v.id.slice(0, 8)),
        el('td', { class: `status status-${v.status}` }, v.status),
        el('td', {}, v.stage),
        el('td', {}, el('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': v.progress, 'aria-label': `${v.title || v.id} progress` }, el('i', { style: `width:${v.progress}%` })), ` ${v.progress.toFixed(0)}%`),
        el('td', {}, v.durationSeconds ? `${v.durationSeconds.toFixed(1)} s` : ''),
        el('td', {}, new Date(v.createdAt).toLocaleTimeString()),
        el('td', { class: 'error' }, v.error || ''));
      row.addEventListener('click', () => select(v.id));
      return row;
    }));
    const count = (s) => videos.filter((v) => v.status === s).length;
    $('#summary').replaceChildren(...['queued', 'running', 'succeeded', 'failed'].map((s) => el('span', {}, `${s} `, el('b', {}, count(s)))));
  }

  async function refreshQueues() {
    const q = await api('/videos/queue');
    $('#queues').replaceChildren(...q.queues.map((d) => el('span', {}, `${d.name} `, el('b', {}, d.waiting),
      d.meanWaitSeconds == null ? '' : el('span', { class: 'kind' }, ` ~${d.meanWaitSeconds.toFixed(1)} s wait`))),
      el('span', {}, 'held ', el('b', {}, q.held), el('span', { class: 'kind' }, ` (share ${q.share})`)));
  }

  async function select(id) {
    state.selected = id;
    document.querySelectorAll('#job-table tbody tr').forEach((r) => r.classList.toggle('selected', r.dataset.id === id));
    await refreshDetail(true);
  }

  async function refreshDetail(force) {
    if (!state.selected) return;
    const wanted = state.selected;
    const v = await api(`/videos/${wanted}`);
    // Another video was picked while this one loaded: its own refresh draws the panel.
    if (state.selected !== wanted) return;
    $('#detail').hidden = false;
    $('#detail-title').textContent = v.title || v.id;
    $('#detail-meta').textContent = `${v.status} · ${v.stage} · ${v.aspectRatio} ${v.resolution}` + (v.renderSeconds ? ` · rendered in ${v.renderSeconds} s` : '');
    const player = $('#player');
    const source = v.links.download || v.links.file;
    if (v.status === 'succeeded' && source && (force || player.dataset.id !== v.id)) {
      player.dataset.id = v.id;
      player.src = source;
      if (v.links.poster && !v.links.download) player.poster = v.links.poster;
      player.hidden = false;
    } else if (v.status !== 'succeeded') { player.hidden = true; player.removeAttribute('src'); player.dataset.id = ''; }
    // The timeline only changes when the job moves on; refetching it every second costs a large document.
    const timelineVersion = `${v.id}:${v.status}:${v.stage}`;
    if (!force && state.timelineVersion === timelineVersion) { /* unchanged */ } else if (v.links.timeline) {
      state.timelineVersion = timelineVersion;
      const t = await api(v.links.timeline);
      if (state.selected !== wanted) return;
      $('#detail-timeline').replaceChildren(...t.clips.map((c) => el('li', {},
        `${c.start.toFixed(1)}–${c.end.toFixed(1)} s  `, el('span', { class: 'kind' }, c.kind), `  ${c.assetTitle || c.cardText || ''}`,
        c.score ? el('span', { class: 'kind' }, `  score ${c.score.toFixed(2)}`) : '',
        c.generationError ? el('span', { class: 'error' }, `  no generated still: ${c.generationError}`) : '')));
    } else { state.timelineVersion = timelineVersion; $('#detail-timeline').replaceChildren(); }
    try {
      const deliveries = await api(`/videos/${v.id}/deliveries`);
      if (state.selected !== wanted) return;
      if (deliveries.length === 0) {
        $('#deliveries tbody').replaceChildren(el('tr', {}, el('td', { colspan: 4, class: 'kind' }, 'none (no callbackUrl, or not finished)')));
        return;
      }
      $('#deliveries tbody').replaceChildren(...deliveries.map((d) => el('tr', {},
        el('td', {}, new Date(d.createdAt).toLocaleTimeString()), el('td', {}, d.eventType), el('td', {}, d.attempt),
        el('td', {}, d.succeeded ? `delivered (${d.statusCode})` : (d.error || `HTTP ${d.statusCode}`)))));
    } catch { $('#deliveries tbody').replaceChildren(); }
  }

  async function tick() {
    // A slow service must not pile polls up: one at a time, the next second's skipped while one runs.
    if (state.polling) return;
    state.polling = true;
    try {
      renderJobs(await api('/videos?limit=50'));
      await refreshQueues();
      await refreshDetail(false);
      if (!$('#notice').textContent.startsWith('This service')) notice('');
    } catch (e) { if (e.message !== 'unauthorised') notice(`Cannot reach the service: ${e.message}`); }
    finally { state.polling = false; }
  }

  // Thumbnails need the API key like everything else, which an <img src> cannot send: fetch, then show the blob.
  function thumbnail(url, alt) {
    if (!url) return el('div', { class: 'thumb-missing', role: 'img', 'aria-label': `${alt}: no thumbnail` });
    const img = el('img', { alt });
    fetch(url, { headers: state.key ? { 'X-Api-Key': state.key } : {} })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((blob) => {
        // Once drawn, the picture no longer needs its blob URL: released, so repeated searches do not hold every thumbnail.
        img.addEventListener('load', () => URL.revokeObjectURL(img.src), { once: true });
        img.src = URL.createObjectURL(blob);
      })
      .catch(() => img.classList.add('broken'));
    return img;
  }

  async function search(q) {
    const hits = q ? await api(`/library/search?q=${encodeURIComponent(q)}&limit=24`) : await api('/library/assets?limit=48');
    $('#library-grid').replaceChildren(...hits.map((h) => el('div', { class: 'card' },
      thumbnail(h.thumbnailUrl, h.title),
      el('div', {}, h.title, el('small', {}, h.score != null ? `score ${h.score.toFixed(3)}` : `${h.kind} · ${h.status}`)))));
  }

  function showTab(name) {
    for (const tab of ['jobs', 'library']) {
      $(`#${tab}`).hidden = tab !== name;
      document.querySelector(`.tab[data-tab=${tab}]`).classList.toggle('active', tab === name);
    }
    if (name === 'library') search($('#search').value).catch((e) => notice(e.message));
  }

  $('#key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.key = $('#api-key').value.trim();
    localStorage.setItem('vidpress.apiKey', state.key);
    notice('');
    tick();
  });
  $('#search-form').addEventListener('submit', (e) => { e.preventDefault(); search($('#search').value).catch((x) => notice(x.message)); });
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1) || 'jobs'));
  $('#api-key').value = state.key;
  showTab(location.hash.slice(1) || 'jobs');
  tick();
  state.timer = setInterval(tick, 1000);
})();
