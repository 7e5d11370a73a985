/*
 * The MultiWebsocket console: lists what discovery and the OpenRPC document describe, and calls,
 * streams and subscribes over a WebSocket of its own that speaks JSON-RPC 2.0 itself (subprotocol
 * multiwebsocket.v1, PROTOCOL.md sections 3, 8 and 9), so that every frame it logs is exactly what
 * went over the wire. It does not use multiwebsocket.js: a console shows the protocol rather than
 * hiding it (no queue, no client-side deadline, no heartbeat frames of its own: the gateway's pings
 * are answered by the browser).
 */
(() => {
  'use strict';

  const SUBPROTOCOL = 'multiwebsocket.v1';
  const MAX_FRAMES = 1000;
  const MAX_OUTPUT = 500;
  const HISTORY = { offset: 0, epoch: '' }; // a since no topic has: the gateway replays what it keeps
  const $ = (id) => document.getElementById(id);
  const encoder = new TextEncoder();

  /** An element with properties, attributes (data-*, aria-*) and children (strings become text). */
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key.startsWith('data-') || key.startsWith('aria-')) {
        node.setAttribute(key, value);
      } else {
        node[key] = value;
      }
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  };
  const pretty = (value) => (value === undefined ? '' : JSON.stringify(value, null, 2));
  const clock = () => {
    const now = new Date();
    const two = (n) => String(n).padStart(2, '0');
    return `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  };
  const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;

  const state = {
    discovery: null,
    methods: new Map(), // OpenRPC methods by name
    schemas: {}, // OpenRPC components.schemas, for $ref
    socket: null,
    retry: null,
    retryDelay: 1000,
    nextId: 1,
    pending: new Map(), // id -> { method, sentAt, key, result(r, rtt), error(e, rtt), item(params, elapsed) }
    selected: null, // { kind: 'service' | 'topic', name, key }
    drafts: new Map(), // key -> the params text the user left there
    outputs: new Map(), // key -> output entries
    streams: new Map(), // key -> the running stream's { id, items, startedAt }
    subscriptions: new Map(), // topic -> { key, position, received, active }
  };

  // ---- Frames -------------------------------------------------------------------------------------

  /** What a frame is, in a few words, and whether it is an error. */
  const describe = (message) => {
    if (Array.isArray(message)) {
      return { what: `batch of ${message.length}` };
    }
    if (!message || typeof message !== 'object') {
      return { what: 'not JSON-RPC' };
    }
    if (message.method === 'rpc.item') {
      return { what: `rpc.item #${message.params?.id} [${message.params?.index}]` };
    }
    if (message.method === 'rpc.message') {
      return { what: `rpc.message ${message.params?.topic} @${message.params?.offset}` };
    }
    if (typeof message.method === 'string') {
      return { what: message.id === undefined ? `${message.method} (notification)` : `${message.method} #${message.id}` };
    }
    if (message.error) {
      return { what: `error ${message.error.code} #${message.id}`, error: true };
    }
    return { what: `result #${message.id}` };
  };

  const logFrame = (direction, text, { what, timing, answered, error } = {}) => {
    const frames = $('frames');
    const atBottom = frames.scrollHeight - frames.scrollTop - frames.clientHeight < 30;
    let summary = { what, error };
    if (!what) {
      try {
        summary = describe(JSON.parse(text));
      } catch {
        summary = { what: 'unreadable' };
      }
    }
    const arrow = { out: '↑', in: '↓', http: '⇄' }[direction];
    const row = el('div', { className: `frame ${direction}${summary.error || error ? ' error' : ''}` },
      el('span', { className: 'time' }, clock()),
      el('span', { className: `dir ${direction}`, title: direction }, arrow),
      el('span', { className: 'what', title: summary.what }, summary.what),
      el('span', { className: 'bytes' }, direction === 'http' ? '' : `${encoder.encode(text).length} B`),
      el('span', { className: `rtt${answered ? ' answered' : ''}` }, timing ?? ''),
      el('span', { className: 'json' }, text));
    row.addEventListener('click', () => row.classList.toggle('open'));
    frames.append(row);
    while (frames.childElementCount > MAX_FRAMES) {
      frames.firstElementChild.remove();
    }
    $('frame-count').textContent = `(${frames.childElementCount})`;
    if (atBottom) {
      frames.scrollTop = frames.scrollHeight;
    }
  };

  // ---- Output -------------------------------------------------------------------------------------

  /** Adds an entry to a selection's output (shown now if that selection is open). */
  const output = (key, kind, meta, value) => {
    // A stream's items and a topic's messages on one line each when they are short; answers in full.
    const compact = kind === 'item' && JSON.stringify(value)?.length <= 160;
    const entry = el('li', { className: kind }, el('span', { className: 'meta' }, meta),
      value === undefined ? null : el('pre', {}, compact ? JSON.stringify(value) : pretty(value)));
    const entries = state.outputs.get(key) ?? [];
    entries.push(entry);
    if (entries.length > MAX_OUTPUT) {
      entries.shift().remove();
    }
    state.outputs.set(key, entries);
    if (state.selected?.key === key) {
      const list = $('output');
      const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 30;
      entry.classList.add('arriving'); // only as it comes, not when the list is shown again
      entry.addEventListener('animationend', () => entry.classList.remove('arriving'), { once: true });
      list.append(entry);
      if (atBottom) {
        list.scrollTop = list.scrollHeight;
      }
    }
  };

  // ---- The socket ---------------------------------------------------------------------------------

  const setState = (text) => {
    $('state').textContent = text;
    $('state').className = `pill ${text}`;
  };

  const httpJson = async (url) => {
    const started = performance.now();
    const token = $('token').value.trim();
    const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}`, Accept: 'application/json' }
      : { Accept: 'application/json' } });
    const text = await response.text();
    logFrame('http', text, { what: `GET ${new URL(url, location.href).pathname} ${response.status}`,
      timing: ms(performance.now() - started), answered: true, error: !response.ok });
    if (!response.ok) {
      throw new Error(`${url} answered HTTP ${response.status}`);
    }
    return JSON.parse(text);
  };

  const send = (method, params, handlers) => {
    if (state.socket?.readyState !== WebSocket.OPEN) {
      // Later, as an answer would come: the caller has its id (null) by then.
      setTimeout(() => handlers?.error?.({ code: -32000, message: 'not connected to the gateway' }, 0));
      return null;
    }
    const request = { jsonrpc: '2.0' };
    const id = handlers ? state.nextId++ : undefined;
    if (handlers) {
      request.id = id;
    }
    request.method = method;
    if (params !== undefined && params !== null) {
      request.params = params;
    }
    const frame = JSON.stringify(request);
    if (handlers) {
      state.pending.set(id, { method, sentAt: performance.now(), ...handlers });
    }
    state.socket.send(frame);
    logFrame('out', frame);
    return id;
  };

  const received = (text) => {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      logFrame('in', text);
      return;
    }
    const now = performance.now();
    const messages = Array.isArray(message) ? message : [message];
    // One log row per frame; the timing of a single answer or item is its call's.
    let timing = null;
    let answered = false;
    if (messages.length === 1) {
      const only = messages[0];
      const call = state.pending.get(only?.method === 'rpc.item' ? only.params?.id : only?.id);
      if (call && only.method === 'rpc.item') {
        timing = `+${ms(now - call.sentAt)}`;
      } else if (call && !only.method) {
        timing = ms(now - call.sentAt);
        answered = true;
      }
    }
    logFrame('in', text, { timing, answered });
    for (const each of messages) {
      if (!each || typeof each !== 'object') {
        continue;
      }
      if (each.method === 'rpc.item') {
        const call = state.pending.get(each.params?.id);
        call?.item?.(each.params, now - call.sentAt);
      } else if (each.method === 'rpc.message') {
        topicMessage(each.params);
      } else if (state.pending.has(each.id)) {
        const call = state.pending.get(each.id);
        state.pending.delete(each.id);
        if (each.error) {
          call.error?.(each.error, now - call.sentAt);
        } else {
          call.result?.(each.result, now - call.sentAt);
        }
      }
    }
  };

  const connect = () => {
    clearTimeout(state.retry);
    const url = state.discovery.gateways?.[0] ?? state.discovery.gateway;
    const protocols = [SUBPROTOCOL];
    const token = $('token').value.trim();
    if (token) {
      protocols.push(`bearer.${token}`);
    }
    setState('connecting');
    const socket = new WebSocket(url, protocols);
    state.socket = socket;
    const openedAt = performance.now();
    socket.onopen = () => {
      state.retryDelay = 1000;
      setState('connected');
      logFrame('http', url, { what: `open (${socket.protocol || 'no subprotocol'})`, timing: ms(performance.now() - openedAt),
        answered: true });
      for (const [topic, subscription] of state.subscriptions) {
        subscribeOn(topic, subscription, subscription.position);
      }
      refreshButtons();
    };
    socket.onmessage = (event) => {
      if (state.socket === socket) {
        received(event.data);
      }
    };
    socket.onclose = (event) => {
      if (state.socket !== socket) {
        return;
      }
      state.socket = null;
      logFrame('http', event.reason || '', { what: `closed ${event.code}`, error: event.code !== 1000 });
      setState('disconnected');
      connectionLost(`the connection closed (${event.code}) before the answer`);
      state.retry = setTimeout(connect, state.retryDelay);
      state.retryDelay = Math.min(state.retryDelay * 2, 10000);
    };
  };

  /** Fails every call in flight (streams included): their answers would have come on the socket that is gone. */
  const connectionLost = (message) => {
    for (const [id, call] of [...state.pending]) {
      state.pending.delete(id);
      call.error?.({ code: -32000, message }, performance.now() - call.sentAt);
    }
    for (const subscription of state.subscriptions.values()) {
      subscription.active = false;
    }
    refreshButtons();
  };

  const reconnect = async () => {
    clearTimeout(state.retry);
    const old = state.socket;
    state.socket = null;
    old?.close(1000);
    connectionLost('the console reconnected before the answer');
    await start();
  };

  // ---- Schemas ------------------------------------------------------------------------------------

  const resolve = (schema, root, depth = 0) => {
    if (schema && typeof schema.$ref === 'string' && depth < 8) {
      const path = schema.$ref.replace(/^#\//, '').split('/');
      const base = schema.$ref.startsWith('#/components/') ? { components: { schemas: state.schemas } } : root;
      const target = path.reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], base);
      return target ? resolve(target, root, depth + 1) : {};
    }
    return schema ?? {};
  };

  const typeOf = (schema) => {
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? 'null' : schema.type;
    if (type) {
      return type;
    }
    if (schema.properties) {
      return 'object';
    }
    return schema.items ? 'array' : undefined;
  };

  /** An example value for a JSON Schema: its example, default, const or first enum value, else one made from its type. */
  const exampleOf = (raw, root, depth = 0) => {
    const schema = resolve(raw, root);
    if (depth > 6) {
      return null;
    }
    for (const given of [schema.examples?.[0], schema.example, schema.default, schema.const, schema.enum?.[0]]) {
      if (given !== undefined) {
        return given;
      }
    }
    const choice = schema.oneOf ?? schema.anyOf;
    if (choice?.length) {
      return exampleOf(choice.find((option) => resolve(option, root).type !== 'null') ?? choice[0], root, depth + 1);
    }
    if (schema.allOf?.length) {
      return Object.assign({}, ...schema.allOf.map((part) => exampleOf(part, root, depth + 1)));
    }
    switch (typeOf(schema)) {
      case 'object': {
        const value = {};
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          value[name] = exampleOf(property, root, depth + 1);
        }
        return value;
      }
      case 'array':
        return schema.items ? [exampleOf(schema.items, root, depth + 1)] : [];
      case 'string':
        return exampleString(schema);
      case 'integer':
      case 'number': {
        let value = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
        if (schema.maximum !== undefined && value > schema.maximum) {
          value = schema.maximum;
        }
        return value;
      }
      case 'boolean':
        return false;
      case 'null':
        return null;
      default:
        return null;
    }
  };

  const exampleString = (schema) => {
    const formats = { 'date-time': new Date().toISOString(), date: new Date().toISOString().slice(0, 10),
      email: 'ada@example.org', uri: 'https://example.org/', uuid: '00000000-0000-4000-8000-000000000000' };
    let value = formats[schema.format] ?? 'text';
    if (schema.minLength && value.length < schema.minLength) {
      value = value.padEnd(schema.minLength, 'x');
    }
    return schema.maxLength !== undefined ? value.slice(0, schema.maxLength) : value;
  };

  /** The params of a service as one JSON Schema: an upstream's from discovery, a bean's from its OpenRPC descriptors. */
  const paramsSchema = (name) => {
    const listed = state.discovery?.services?.[name]?.params;
    if (listed) {
      return listed;
    }
    const method = state.methods.get(name);
    if (!method) {
      return null;
    }
    const properties = {};
    const required = [];
    for (const descriptor of method.params ?? []) {
      properties[descriptor.name] = descriptor.schema ?? {};
      if (descriptor.required) {
        required.push(descriptor.name);
      }
    }
    return required.length ? { type: 'object', properties, required } : { type: 'object', properties };
  };

  const constraints = (schema) => {
    const parts = [];
    const range = (low, high, unit) => {
      if (low !== undefined || high !== undefined) {
        parts.push(`${unit}${low ?? ''}..${high ?? ''}`);
      }
    };
    range(schema.minLength, schema.maxLength, 'length ');
    range(schema.minimum, schema.maximum, '');
    range(schema.minItems, schema.maxItems, 'items ');
    if (schema.pattern) {
      parts.push(`pattern ${schema.pattern}`);
    }
    if (schema.enum) {
      parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    if (schema.format) {
      parts.push(schema.format);
    }
    return parts.join('; ');
  };

  const paramTable = (schema) => {
    const table = $('param-table');
    const properties = Object.entries(schema?.properties ?? {});
    if (!properties.length) {
      table.replaceChildren(el('tr', {}, el('td', { className: 'muted' }, 'No named params.')));
      return;
    }
    const required = new Set(schema.required ?? []);
    table.replaceChildren(el('tr', {}, el('th', {}, 'param'), el('th', {}, 'type'), el('th', {}, 'required'),
      el('th', {}, 'constraints')),
    ...properties.map(([name, raw]) => {
      const property = resolve(raw, schema);
      const type = raw.$ref ? raw.$ref.split('/').pop() : typeOf(property) ?? 'any';
      return el('tr', {}, el('td', {}, el('code', {}, name)), el('td', {}, type), el('td', {}, required.has(name) ? 'yes' : ''),
        el('td', {}, [constraints(property), property.description].filter(Boolean).join(' · ')));
    }));
  };

  // ---- Lists and selection ------------------------------------------------------------------------

  const badge = (text, kind = '') => el('span', { className: `badge ${kind}` }, text);

  const renderLists = () => {
    const filter = $('filter').value.trim().toLowerCase();
    const matches = (name, about) => !filter || name.toLowerCase().includes(filter) || (about ?? '').toLowerCase().includes(filter);
    const services = Object.entries(state.discovery?.services ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const topics = Object.entries(state.discovery?.topics ?? {}).sort(([a], [b]) => a.localeCompare(b));
    $('service-count').textContent = `(${services.length})`;
    $('topic-count').textContent = `(${topics.length})`;
    $('services').replaceChildren(...services.filter(([name, info]) => matches(name, info.description)).map(([name, info]) =>
      entry('service', name, info.description, [
        info.stream ? badge('stream', 'stream') : null,
        info.roles ? badge(info.roles.length ? info.roles.join(', ') : 'denied', 'roles') : null,
        info.upstream ? badge(info.upstream) : null,
      ])));
    $('topics').replaceChildren(...topics.filter(([name, info]) => matches(name, info.description)).map(([name, info]) => {
      const subscription = [...state.subscriptions.values()].find((s) => s.key === `topic:${name}`);
      return entry('topic', name, info.description, [
        info.roles ? badge(info.roles.join(', '), 'roles') : null,
        subscription ? badge(`live · ${subscription.received}`, 'live') : null,
      ]);
    }));
  };

  const entry = (kind, name, about, badges) => {
    const key = `${kind}:${name}`;
    const item = el('li', { className: state.selected?.key === key ? 'selected' : '', 'data-name': name, 'data-kind': kind,
      title: about ?? '' },
    el('span', { className: 'name' }, name, ...badges.filter(Boolean)),
    el('span', { className: 'about' }, about ?? ''));
    item.addEventListener('click', () => select(kind, name));
    return item;
  };

  const saveDraft = () => {
    if (state.selected?.kind === 'service') {
      state.drafts.set(state.selected.key, $('params').value);
    }
  };

  const select = (kind, name) => {
    saveDraft();
    const key = `${kind}:${name}`;
    state.selected = { kind, name, key };
    $('empty').hidden = true;
    $('detail').hidden = false;
    $('detail-name').textContent = name;
    $('params-error').hidden = true;
    const info = (kind === 'service' ? state.discovery.services : state.discovery.topics)[name] ?? {};
    const method = state.methods.get(name);
    $('detail-description').textContent = info.description || method?.summary || '';
    const badges = [];
    if (kind === 'service') {
      badges.push(badge(info.stream ? 'stream' : 'call', info.stream ? 'stream' : ''));
      if (info.roles) {
        badges.push(badge(info.roles.length ? `roles: ${info.roles.join(', ')}` : 'denied to all', 'roles'));
      }
      if (info.upstream) {
        badges.push(badge(`upstream ${info.upstream}`));
      }
      badges.push(badge((info.transports ?? []).join(' · ')));
      const schema = paramsSchema(name);
      $('params').value = state.drafts.get(key) ?? pretty(schema ? exampleOf(schema, schema) : {});
      paramTable(schema);
      $('params-schema').textContent = schema ? pretty(schema) : 'The OpenRPC document does not describe this service.';
      $('result-schema-title').textContent = info.stream ? 'Each item' : 'Result';
      $('result-schema').textContent = method ? pretty(method.result?.schema ?? {}) : '–';
      $('output-title').textContent = info.stream ? 'Items' : 'Answers';
    } else {
      badges.push(badge('topic'));
      badges.push(badge(`history ${info.history ?? 0}`));
      if (info.roles) {
        badges.push(badge(`roles: ${info.roles.join(', ')}`, 'roles'));
      }
      $('output-title').textContent = 'Messages';
    }
    $('detail-badges').replaceChildren(...badges);
    $('params-pane').hidden = kind !== 'service';
    $('schemas').hidden = kind !== 'service';
    $('topic-options').hidden = kind !== 'topic';
    $('output').replaceChildren(...(state.outputs.get(key) ?? []));
    $('output').scrollTop = $('output').scrollHeight;
    refreshButtons();
    renderLists();
  };

  const refreshButtons = () => {
    const selected = state.selected;
    if (!selected) {
      return;
    }
    const connected = state.socket?.readyState === WebSocket.OPEN;
    const run = $('run');
    const stop = $('stop');
    if (selected.kind === 'service') {
      const streaming = state.discovery.services[selected.name]?.stream;
      const running = state.streams.get(selected.key);
      run.textContent = streaming ? 'Start stream' : 'Call';
      run.disabled = !connected || Boolean(running);
      stop.hidden = !streaming;
      stop.disabled = !running;
      $('run-status').textContent = running ? `streaming… ${count(running.items, 'item')}` : '';
    } else {
      const subscription = state.subscriptions.get(selected.name);
      run.textContent = subscription ? 'Unsubscribe' : 'Subscribe';
      run.disabled = !connected;
      stop.hidden = true;
      $('run-status').textContent = subscription ? `subscribed · ${count(subscription.received, 'message')}` : '';
    }
  };

  // ---- Calls, streams, topics ---------------------------------------------------------------------

  const readParams = () => {
    const text = $('params').value.trim();
    if (!text) {
      return { params: undefined };
    }
    try {
      const params = JSON.parse(text);
      $('params-error').hidden = true;
      return { params };
    } catch (error) {
      $('params-error').textContent = `Not JSON: ${error.message}`;
      $('params-error').hidden = false;
      return null;
    }
  };

  const failure = (error) => `error ${error.code}: ${error.message}`;

  const callService = (name, key) => {
    const read = readParams();
    if (!read) {
      return;
    }
    const id = send(name, read.params, {
      result: (result, rtt) => output(key, 'end', `#${id} · result · ${ms(rtt)}`, result),
      error: (error, rtt) => output(key, 'error', `#${id ?? '–'} · ${failure(error)} · ${ms(rtt)}`, error.data ?? undefined),
    });
  };

  const startStream = (name, key) => {
    const read = readParams();
    if (!read) {
      return;
    }
    const run = { id: null, items: 0 };
    const finish = () => {
      if (state.streams.get(key) === run) {
        state.streams.delete(key);
      }
      refreshButtons();
    };
    run.id = send(name, read.params, {
      item: (params, elapsed) => {
        run.items++;
        output(key, 'item', `#${params.id} · item ${params.index} · +${ms(elapsed)}`, params.item);
        if (state.selected?.key === key) {
          $('run-status').textContent = `streaming… ${count(run.items, 'item')}`;
        }
      },
      result: (result, elapsed) => {
        output(key, 'end', `#${run.id ?? '–'} · done after ${ms(elapsed)}`, result);
        finish();
      },
      error: (error, elapsed) => {
        output(key, error.code === -32005 ? 'note' : 'error',
          `#${run.id ?? '–'} · ${error.code === -32005 ? 'stopped' : failure(error)} after ${count(run.items, 'item')}, ${ms(elapsed)}`);
        finish();
      },
    });
    if (run.id !== null) {
      state.streams.set(key, run);
    }
    refreshButtons();
  };

  const stopStream = (key) => {
    const run = state.streams.get(key);
    if (run) {
      send('rpc.cancel', { id: run.id }); // a notification: the gateway answers the stream's id with -32005
    }
  };

  const subscribeOn = (topic, subscription, since) => {
    send('rpc.subscribe', since ? { topic, since } : { topic }, {
      result: (answer, rtt) => {
        subscription.active = true;
        const sameEpoch = since && since.epoch === answer.epoch;
        subscription.position = { offset: sameEpoch ? since.offset : since ? 0 : answer.offset, epoch: answer.epoch };
        output(subscription.key, 'note', `subscribed · offset ${answer.offset} · epoch ${answer.epoch} · recovered `
          + `${answer.recovered} · ${ms(rtt)}`);
        refreshButtons();
      },
      error: (error) => {
        if (error.code !== -32000) {
          state.subscriptions.delete(topic);
          output(subscription.key, 'error', `subscription refused: ${failure(error)}`, error.data ?? undefined);
          refreshButtons();
          renderLists();
        }
      },
    });
  };

  const subscribe = (topic) => {
    const subscription = { key: `topic:${topic}`, position: null, received: 0, active: false };
    state.subscriptions.set(topic, subscription);
    subscribeOn(topic, subscription, $('topic-history').checked ? HISTORY : null);
    refreshButtons();
    renderLists();
  };

  const unsubscribe = (topic) => {
    const subscription = state.subscriptions.get(topic);
    state.subscriptions.delete(topic);
    send('rpc.unsubscribe', { topic }, {
      result: (answer) => output(subscription.key, 'note', `unsubscribed (${answer})`),
      error: (error) => output(subscription.key, 'error', `unsubscribe: ${failure(error)}`),
    });
    refreshButtons();
    renderLists();
  };

  const topicMessage = (params) => {
    const subscription = state.subscriptions.get(params?.topic);
    if (!subscription) {
      return;
    }
    const position = subscription.position;
    if (position && position.epoch === params.epoch && params.offset <= position.offset) {
      return; // replayed after a reconnection, shown already
    }
    subscription.position = { offset: params.offset, epoch: params.epoch };
    subscription.received++;
    output(subscription.key, 'item', `@${params.offset} · ${clock()}`, params.data);
    if (state.selected?.key === subscription.key) {
      refreshButtons();
    }
    renderLists();
  };

  const run = () => {
    const selected = state.selected;
    if (!selected) {
      return;
    }
    if (selected.kind === 'topic') {
      if (state.subscriptions.has(selected.name)) {
        unsubscribe(selected.name);
      } else {
        subscribe(selected.name);
      }
    } else if (state.discovery.services[selected.name]?.stream) {
      startStream(selected.name, selected.key);
    } else {
      callService(selected.name, selected.key);
    }
  };

  // ---- Start --------------------------------------------------------------------------------------

  const start = async () => {
    setState('connecting');
    try {
      state.discovery = await httpJson(new URL('../api/discover', location.href).toString());
      $('gateway-url').textContent = state.discovery.gateway;
      try {
        const openrpc = await httpJson(state.discovery.openrpc ?? new URL('../api/openrpc.json', location.href).toString());
        state.methods = new Map((openrpc.methods ?? []).map((method) => [method.name, method]));
        state.schemas = openrpc.components?.schemas ?? {};
      } catch {
        state.methods = new Map(); // an older gateway: no schemas, the rest works
      }
      renderLists();
      if (state.selected) {
        select(state.selected.kind, state.selected.name);
      }
      connect();
    } catch (error) {
      setState('disconnected');
      logFrame('http', String(error.message), { what: 'discovery failed', error: true });
      state.retry = setTimeout(start, state.retryDelay);
      state.retryDelay = Math.min(state.retryDelay * 2, 10000);
    }
  };

  $('run').addEventListener('click', run);
  $('stop').addEventListener('click', () => stopStream(state.selected?.key));
  $('params').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  $('params-reset').addEventListener('click', () => {
    const schema = paramsSchema(state.selected.name);
    $('params').value = pretty(schema ? exampleOf(schema, schema) : {});
    $('params-error').hidden = true;
  });
  $('params-format').addEventListener('click', () => {
    const read = readParams();
    if (read) {
      $('params').value = read.params === undefined ? '' : pretty(read.params);
    }
  });
  $('output-clear').addEventListener('click', () => {
    if (state.selected) {
      state.outputs.delete(state.selected.key);
      $('output').replaceChildren();
    }
  });
  $('frames-clear').addEventListener('click', () => {
    $('frames').replaceChildren();
    $('frame-count').textContent = '';
  });
  $('filter').addEventListener('input', renderLists);
  $('reconnect').addEventListener('click', reconnect);
  $('token').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      reconnect();
    }
  });
  start();
})();
