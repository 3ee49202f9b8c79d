// The micro4j dashboard: plain DOM, no framework, no network beyond this application's own api/ endpoints.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { service: null, shape: null, refreshTimer: null };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // Spring Security's cookie CSRF token, when the application uses one.
  function csrfHeaders() {
    const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
    return match ? { 'X-XSRF-TOKEN': decodeURIComponent(match[1]) } : {};
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body = await response.json().catch(() => ({ detail: response.statusText }));
    if (!response.ok) throw new Error(body.detail || response.statusText);
    return body;
  }

  async function postJson(path, payload) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, csrfHeaders()),
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => ({ ok: false, error: { code: response.status, detail: response.statusText } }));
    if (!response.ok && !body.error) return { ok: false, error: body, latencyMillis: 0 };
    return body;
  }

  function showAlert(message) {
    $('alert').textContent = message || '';
    $('alert').hidden = !message;
  }

  // ---- services and topics --------------------------------------------------------------------------------------

  async function loadOverview() {
    let overview;
    try {
      overview = await getJson('api/services');
    } catch (error) {
      showAlert('Cannot list the registry: ' + error.message);
      return;
    }
    showAlert('');
    $('registry').textContent = overview.registry;
    const list = $('services');
    list.replaceChildren(...overview.services.map((service) => el('li', {},
      el('button', {
        type: 'button', 'data-service': service.name, 'aria-current': service.name === state.service ? 'true' : false,
        onclick: () => selectService(service.name, true),
      }, el('span', { class: 'name', text: service.name }),
        el('span', { class: 'count', text: nodes(service.nodes) })))));
    if (overview.services.length === 0) list.append(el('li', { text: 'No services registered.' }));
    $('topics').replaceChildren(...overview.topics.map((topic) => el('li', { 'data-topic': topic.topic },
      el('button', { type: 'button', onclick: () => choosePublishTopic(topic.topic) }, topic.topic),
      el('ul', {}, topic.subscribers.map((s) => el('li', {
        text: s.service + (s.endpoint ? ' · ' + s.endpoint : ' · ' + s.version) + ' (' + nodes(s.nodes) + ')',
      }))))));
    if (overview.topics.length === 0) $('topics').append(el('li', { text: 'No subscribers.' }));
    $('topic-list').replaceChildren(...overview.topics.map((topic) => el('option', { value: topic.topic })));
  }

  function nodes(count) {
    return count + (count === 1 ? ' node' : ' nodes');
  }

  function choosePublishTopic(topic) {
    $('publish-topic').value = topic;
    $('publish-message').focus();
  }

  // ---- one service ----------------------------------------------------------------------------------------------

  async function selectService(name, focus) {
    state.service = name;
    state.shape = null;
    for (const button of document.querySelectorAll('#services button')) {
      if (button.dataset.service === name) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
    await loadService();
    if (focus) $('service-title').focus();
  }

  async function loadService() {
    const name = state.service;
    if (!name) return;
    let detail;
    try {
      detail = await getJson('api/services/' + encodeURIComponent(name));
    } catch (error) {
      $('service-title').textContent = name;
      $('versions').replaceChildren(el('p', { text: error.message }));
      state.shape = null;
      showSection(true);
      return;
    }
    if (name !== state.service) return;
    $('service-title').textContent = detail.name;
    // Keep open panels and typed requests when only the nodes changed.
    const shape = JSON.stringify(detail.versions.map((v) => [v.version, v.endpoints]));
    if (shape === state.shape) {
      for (const version of detail.versions) {
        const table = document.querySelector('[data-version="' + CSS.escape(version.version) + '"] table');
        if (table) table.replaceWith(nodeTable(version));
      }
    } else {
      state.shape = shape;
      $('versions').replaceChildren(...detail.versions.map(versionSection));
    }
    showSection(true);
  }

  function showSection(visible) {
    $('service').hidden = !visible;
    $('choose').hidden = visible;
  }

  function versionSection(version) {
    const endpoints = version.endpoints.filter((e) => !e.subscriber);
    const subscribers = version.endpoints.filter((e) => e.subscriber);
    return el('section', { 'data-version': version.version, 'aria-label': 'Version ' + version.version },
      el('h3', { text: 'Version ' + version.version }),
      nodeTable(version),
      el('h4', { text: 'Endpoints' }),
      endpoints.length ? endpoints.map(endpointPanel) : el('p', { text: 'No endpoints.' }),
      subscribers.length ? [el('h4', { text: 'Subscribers' }), el('ul', {}, subscribers.map((s) =>
        el('li', {}, el('code', { text: s.name }), ' ← ', el('code', { text: s.topic }))))] : null);
  }

  function nodeTable(version) {
    return el('table', {},
      el('caption', { text: nodes(version.nodes.length) }),
      el('thead', {}, el('tr', {}, ['Node', 'Address', 'Protocol', 'Secure', 'Broker', 'Metadata'].map((h) =>
        el('th', { scope: 'col', text: h })))),
      el('tbody', {}, version.nodes.map((node) => el('tr', { 'data-node': node.id },
        el('td', {}, el('code', { text: node.id })),
        el('td', {}, el('code', { text: node.address })),
        el('td', { text: node.protocol }),
        el('td', { text: node.secure ? 'yes' : 'no' }),
        el('td', { text: node.broker || '–' }),
        el('td', { class: 'meta', text: Object.entries(node.metadata).map(([k, v]) => k + '=' + v).join(' ') })))));
  }

  function endpointPanel(endpoint) {
    const id = 'ep-' + endpoint.name.replace(/[^A-Za-z0-9_-]/g, '_');
    const skeleton = JSON.stringify(endpoint.skeleton, null, 2);
    const rows = Math.min(12, Math.max(3, skeleton.split('\n').length + 1));
    const request = el('textarea', { id: id + '-request', rows: rows, spellcheck: 'false' });
    request.value = skeleton;
    const timeout = el('input', { id: id + '-timeout', type: 'number', min: 1, step: 1, inputmode: 'numeric',
      placeholder: 'default' });
    const result = el('output', { id: id + '-result', class: 'result', 'aria-live': 'polite', for: id + '-request' });
    const form = el('form', { class: 'panel', onsubmit: (event) => {
      event.preventDefault();
      call(endpoint.name, request, timeout, result, form);
    } },
    el('label', { for: id + '-request', text: 'Request (JSON)' }), request,
    el('label', { for: id + '-timeout', text: 'Timeout (ms, optional)' }), timeout,
    el('div', {}, el('button', { type: 'submit', text: 'Call ' + endpoint.name })),
    result);
    return el('details', { 'data-endpoint': endpoint.name },
      el('summary', {}, el('code', { text: endpoint.name })),
      el('div', { class: 'shapes' },
        el('div', {}, el('h5', { text: 'Request' }), valueTree(endpoint.request)),
        el('div', {}, el('h5', { text: 'Response' }), valueTree(endpoint.response))),
      form);
  }

  function valueTree(value) {
    if (!value) return el('p', { text: 'not described' });
    const item = (v) => el('li', {}, el('code', { text: v.name }), ' ', el('span', { class: 'type', text: v.type }),
      v.values && v.values.length ? el('ul', {}, v.values.map(item)) : null);
    return el('ul', { class: 'tree' }, item(value));
  }

  async function call(endpoint, request, timeout, result, form) {
    let body;
    try {
      body = request.value.trim() ? JSON.parse(request.value) : {};
    } catch (error) {
      result.replaceChildren(el('p', { class: 'error', text: 'The request is not valid JSON: ' + error.message }));
      request.focus();
      return;
    }
    const payload = { service: state.service, endpoint: endpoint, request: body };
    if (timeout.value) payload.timeoutMillis = Number(timeout.value);
    const button = form.querySelector('button');
    button.disabled = true;
    result.replaceChildren(el('p', { text: 'Calling…' }));
    try {
      showResult(result, await postJson('api/call', payload));
    } catch (error) {
      result.replaceChildren(el('p', { class: 'error', text: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  function showResult(result, answer) {
    const latency = (answer.latencyMillis || 0).toFixed(1) + ' ms';
    if (answer.ok) {
      result.replaceChildren(el('p', { class: 'ok', text: 'OK · ' + latency }),
        'response' in answer ? el('pre', { text: JSON.stringify(answer.response, null, 2) }) : null);
    } else {
      const error = answer.error || {};
      result.replaceChildren(
        el('p', { class: 'error', text: (error.code || '') + ' ' + (error.status || 'Error') + ' · ' + latency }),
        el('pre', { text: JSON.stringify(error, null, 2) }));
    }
  }

  // ---- publish --------------------------------------------------------------------------------------------------

  $('publish-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = $('publish-result');
    let message;
    try {
      message = JSON.parse($('publish-message').value || '{}');
    } catch (error) {
      result.replaceChildren(el('p', { class: 'error', text: 'The message is not valid JSON: ' + error.message }));
      return;
    }
    try {
      showResult(result, await postJson('api/publish', { topic: $('publish-topic').value, message: message }));
    } catch (error) {
      result.replaceChildren(el('p', { class: 'error', text: error.message }));
    }
  });

  // ---- live updates ---------------------------------------------------------------------------------------------

  function refreshSoon() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(() => {
      loadOverview();
      loadService();
    }, 150);
  }

  function connect() {
    const events = new EventSource('api/events', { withCredentials: true });
    events.addEventListener('ready', () => {
      $('live').textContent = 'Live: node changes appear as they happen.';
      refreshSoon();
    });
    events.addEventListener('change', (event) => {
      const change = JSON.parse(event.data);
      $('live').textContent = 'Live: ' + change.service + ' ' + change.type + ' ' + change.nodes.join(', ');
      refreshSoon();
    });
    events.addEventListener('resync', refreshSoon);
    events.onerror = () => {
      $('live').textContent = 'Live updates interrupted; reconnecting…';
    };
  }

  loadOverview();
  connect();
})();
