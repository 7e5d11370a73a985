/*
 * MultiWebsocket browser client: one WebSocket to a MultiWebsocket gateway, every service called by
 * name, each call answered through a Promise. No dependency; the wire protocol is JSON-RPC 2.0
 * (PROTOCOL.md).
 *
 * This file is the client's only source. Loaded with <script src> it defines the global
 * MultiWebsocket. The build writes the ES module multiwebsocket.mjs from it: the same code without
 * the wrapper's first two lines and its last line, and with the global's assignment turned into
 * exports of the same names (so that line lists shorthand names only).
 */
(() => {
'use strict';

const SUBPROTOCOL = 'multiwebsocket.v1';
const version = '0.1.0';

/**
 * @typedef {Object} Config
 * @property {string} 'service-discovery-url' where discovery answers, e.g. 'http://localhost:8080/api/discover' (required)
 * @property {?number} ['call-timeout-ms'] a call's deadline; default: discovery's limits.callTimeoutMs
 * @property {number} ['max-queued-calls'] calls that may wait for the socket (1000)
 * @property {?number} ['heartbeat-ms'] rpc.ping interval; default: discovery's limits.heartbeatMs; 0: off
 * @property {number} ['reconnect-initial-delay-ms'] first reconnection delay (250), doubled per failure
 * @property {number} ['reconnect-max-delay-ms'] the longest reconnection delay (10000)
 * @property {number} ['reconnect-reset-after-ms'] how long a connection must stay up for the delay to
 *   start over from the initial one (5000): a gateway that closes every connection at once meets a growing delay
 * @property {?string} ['bearer-token'] offered as the subprotocol entry bearer.<token>, and sent to discovery
 */
const DEFAULTS = {
  'call-timeout-ms': null,
  'max-queued-calls': 1000,
  'heartbeat-ms': null,
  'reconnect-initial-delay-ms': 250,
  'reconnect-max-delay-ms': 10000,
  'reconnect-reset-after-ms': 5000,
  'bearer-token': null,
};

const EVENTS = ['ready', 'disconnected', 'reconnected', 'error'];

const encoder = new TextEncoder();

// setTimeout runs at once any delay longer than this.
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Why a call failed: the gateway's JSON-RPC error, or one the client raised itself. `name` tells
 * which kind: 'ServiceCallError', 'TimeoutError' (code -32003) or 'ConnectionLostError' (code
 * -32000: the socket dropped, or the client was closed, while the call was pending; it is not
 * replayed).
 */
class CallError extends Error {
  /**
   * @param {string} message
   * @param {number} code the JSON-RPC error code
   * @param {*} [data] the error's data; null when there is none
   * @param {string} [name]
   */
  constructor(message, code, data = null, name = 'ServiceCallError') {
    super(message);
    this.name = name;
    this.code = code;
    this.data = data;
  }
}

const timeoutError = (message) => new CallError(message, -32003, null, 'TimeoutError');

const connectionLost = (message, data) => new CallError(message, -32000, data, 'ConnectionLostError');

const unknownService = (name) =>
  new CallError(`Method not found: discovery lists no service '${name}'`, -32601, { method: name });

const fromResponse = (error) => {
  const code = typeof error.code === 'number' ? error.code : -32603;
  const message = typeof error.message === 'string' ? error.message : 'error';
  return new CallError(message, code, error.data, code === -32003 ? 'TimeoutError' : 'ServiceCallError');
};

const canonical = (name) => String(name).replace(/^\/+|\/+$/g, '');

/** A Retry-After header (seconds or an HTTP date) in milliseconds; 0 when absent or unreadable. */
const retryAfterMs = (header) => {
  if (!header) {
    return 0;
  }
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return ms > 0 ? ms : 0;
};

/** Runs a user's callback; what it throws is reported to the page and never breaks the client. */
const invoke = (callback, self, argument) => {
  try {
    callback.call(self, argument);
  } catch (error) {
    setTimeout(() => { throw error; });
  }
};

/** One client's connection, calls and listeners; every internal step is a method of it. */
class State {
  constructor(client) {
    this.client = client;
    this.phase = 'new'; // new | connecting | open | disconnected | closed
    this.everReady = false;
    this.discovery = null;
    this.opening = null; // the socket of a handshake in progress
    this.socket = null;
    this.openedAt = 0;
    this.lastHeard = 0;
    this.heartbeatTimer = null;
    this.failedAttempts = 0;
    this.retryTimer = null;
    this.nextId = 1;
    this.inFlight = new Map();
    this.queue = [];
    this.listeners = new Map(EVENTS.map((event) => [event, []]));
    this.readyCallbacks = [];
    this.readyWaiters = [];
  }

  option(key) {
    return this.client.config?.[key] ?? DEFAULTS[key];
  }

  limit(name, fallback) {
    return this.discovery?.limits?.[name] || fallback;
  }

  lists(name) {
    return String(name).startsWith('rpc.')
      || Object.prototype.hasOwnProperty.call(this.discovery.services ?? {}, canonical(name));
  }

  on(event, listener) {
    const listeners = this.listeners.get(event);
    if (!listeners) {
      throw new Error(`unknown event ${event}`);
    }
    listeners.push(listener);
  }

  emit(event, argument) {
    for (const listener of [...this.listeners.get(event)]) {
      invoke(listener, this.client, argument);
    }
  }

  onReady(callback) {
    if (this.phase === 'open') {
      callback.call(this.client);
    } else {
      this.readyCallbacks.push(callback);
    }
  }

  connect() {
    if (this.phase === 'closed') {
      return Promise.reject(new Error('the client is closed'));
    }
    if (this.phase === 'open') {
      return Promise.resolve();
    }
    const ready = new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (this.phase === 'new') {
      this.phase = 'connecting';
      this.attempt();
    }
    return ready;
  }

  /** Discovery, then each of its gateways in turn until one opens. */
  async attempt() {
    try {
      const url = this.option('service-discovery-url');
      if (!url) {
        throw new Error("config 'service-discovery-url' is not set");
      }
      const discovery = await this.discover(url);
      if (this.phase === 'closed') {
        return;
      }
      this.adopt(discovery);
      const gateways = discovery.gateways?.length ? discovery.gateways : [discovery.gateway];
      for (const gateway of gateways) {
        const socket = await this.open(gateway);
        if (this.phase === 'closed') {
          socket?.close(1000);
          return;
        }
        if (socket) {
          this.opened(socket);
          return;
        }
      }
      throw new Error(`no gateway of ${JSON.stringify(gateways)} could be opened`);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async discover(url) {
    const headers = { Accept: 'application/json' };
    const token = this.option('bearer-token');
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const response = await fetch(url, { headers });
    if (!response.ok) {
      const error = new Error(`discovery answered HTTP ${response.status}`);
      error.retryAfterMs = retryAfterMs(response.headers.get('Retry-After'));
      throw error;
    }
    return response.json();
  }

  /** Takes a discovery document; queued calls to services it does not list fail now. */
  adopt(discovery) {
    this.discovery = discovery;
    this.queue = this.queue.filter((call) => {
      if (this.lists(call.method)) {
        return true;
      }
      this.settle(call, unknownService(call.method));
      return false;
    });
  }

  /** Resolves with the socket once it is open, or with null if it closed before opening. */
  open(url) {
    const protocols = [SUBPROTOCOL];
    const token = this.option('bearer-token');
    if (token) {
      protocols.push(`bearer.${token}`);
    }
    return new Promise((resolve) => {
      let socket;
      try {
        socket = new WebSocket(url, protocols);
      } catch {
        resolve(null);
        return;
      }
      this.opening = socket;
      const outcome = (result) => {
        this.opening = null;
        socket.onopen = null;
        socket.onclose = null;
        resolve(result);
      };
      socket.onopen = () => outcome(socket);
      socket.onclose = () => outcome(null);
    });
  }

  opened(socket) {
    this.socket = socket;
    this.phase = 'open';
    this.openedAt = Date.now();
    this.lastHeard = this.openedAt;
    socket.onmessage = (event) => {
      if (this.socket === socket) {
        this.received(event.data);
      }
    };
    socket.onclose = (event) => this.lost(socket, connectionLost(
      `the connection to the gateway was lost (${event.code}${event.reason ? ` ${event.reason}` : ''})`,
      { closeCode: event.code, closeReason: event.reason }));
    const heartbeatMs = this.option('heartbeat-ms') ?? this.limit('heartbeatMs', 25000);
    if (heartbeatMs > 0) {
      this.heartbeatTimer = setInterval(() => this.heartbeat(socket, heartbeatMs), heartbeatMs);
    }
    const reconnected = this.everReady;
    this.everReady = true;
    this.pump();
    for (const waiter of this.readyWaiters.splice(0)) {
      waiter.resolve();
    }
    this.emit(reconnected ? 'reconnected' : 'ready');
    for (const callback of this.readyCallbacks.splice(0)) {
      invoke(callback, this.client);
    }
  }

  /** Browsers cannot send ping frames: rpc.ping it is. Two silent intervals and the socket is dropped. */
  heartbeat(socket, heartbeatMs) {
    if (this.socket !== socket) {
      return;
    }
    if (Date.now() - this.lastHeard > 2.5 * heartbeatMs) {
      this.lost(socket, connectionLost('heartbeat: the gateway stopped answering'));
      socket.close();
      return;
    }
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: `ping-${this.nextId++}`, method: 'rpc.ping' }));
  }

  lost(socket, reason) {
    if (this.socket !== socket || this.phase !== 'open') {
      return;
    }
    this.socket = null;
    this.phase = 'disconnected';
    clearInterval(this.heartbeatTimer);
    if (Date.now() - this.openedAt >= this.option('reconnect-reset-after-ms')) {
      this.failedAttempts = 0;
    }
    for (const call of [...this.inFlight.values()]) {
      this.settle(call, reason);
    }
    this.emit('disconnected', reason);
    this.scheduleRetry();
  }

  fail(error) {
    if (this.phase === 'closed') {
      return;
    }
    for (const waiter of this.readyWaiters.splice(0)) {
      waiter.reject(error);
    }
    this.emit('error', error);
    this.scheduleRetry(error.retryAfterMs);
  }

  /**
   * Exponential backoff with jitter: each delay is between half and all of its ceiling. When the
   * server asked for more (Retry-After), that long plus up to a fifth, so that clients told the
   * same thing do not all come back together.
   */
  scheduleRetry(atLeastMs = 0) {
    const ceiling = Math.min(this.option('reconnect-max-delay-ms'),
      this.option('reconnect-initial-delay-ms') * 2 ** Math.min(this.failedAttempts++, 20));
    const backoff = ceiling / 2 + Math.random() * ceiling / 2;
    const delay = atLeastMs > backoff ? atLeastMs * (1 + Math.random() / 5) : backoff;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.phase === 'connecting' || this.phase === 'disconnected') {
        this.attempt();
      }
    }, Math.min(delay, LONGEST_TIMEOUT_MS));
  }

  call(name, payload, options) {
    if (this.phase === 'closed') {
      return Promise.reject(connectionLost('the client is closed'));
    }
    if (payload !== undefined && payload !== null && typeof payload !== 'object') {
      return Promise.reject(new CallError('params must be an object or an array', -32602));
    }
    if (this.discovery && !this.lists(name)) {
      return Promise.reject(unknownService(name));
    }
    return new Promise((resolve, reject) => {
      const timeoutMs = options?.timeoutMs || this.option('call-timeout-ms') || this.limit('callTimeoutMs', 30000);
      const call = { id: this.nextId++, method: name, payload, resolve, reject, socket: null, timer: null };
      call.timer = setTimeout(() => this.timedOut(call, timeoutMs), timeoutMs);
      this.route(call);
    });
  }

  route(call) {
    const maxQueued = this.option('max-queued-calls');
    if (this.phase === 'open' && this.inFlight.size < this.limit('maxInFlight', 256)) {
      this.send(call);
    } else if (this.queue.length < maxQueued) {
      this.queue.push(call);
    } else {
      this.settle(call, new CallError(`the call queue is full (${maxQueued} calls)`, -32004,
        { queued: this.queue.length }));
    }
  }

  send(call) {
    const request = { jsonrpc: '2.0', id: call.id, method: call.method };
    if (call.payload !== undefined && call.payload !== null) {
      request.params = call.payload;
    }
    let frame;
    try {
      frame = JSON.stringify(request);
    } catch (error) {
      this.settle(call, new CallError(`the params of ${call.method} cannot be sent as JSON: ${error.message}`, -32602));
      return;
    }
    const maxBytes = this.limit('maxMessageBytes', 0);
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so most frames need no encoding to be measured.
    if (maxBytes && frame.length * 3 > maxBytes) {
      const bytes = encoder.encode(frame).length;
      if (bytes > maxBytes) {
        this.settle(call, new CallError(`the request to ${call.method} is ${bytes} bytes, more than the gateway `
          + `accepts (maxMessageBytes ${maxBytes})`, -32600, { bytes, maxMessageBytes: maxBytes }));
        return;
      }
    }
    this.inFlight.set(call.id, call);
    call.socket = this.socket;
    this.socket.send(frame);
  }

  pump() {
    while (this.queue.length && this.phase === 'open' && this.inFlight.size < this.limit('maxInFlight', 256)) {
      this.send(this.queue.shift());
    }
  }

  settle(call, error, result) {
    clearTimeout(call.timer);
    this.inFlight.delete(call.id);
    if (error) {
      call.reject(error);
    } else {
      call.resolve(result);
    }
  }

  /** Past the deadline: the caller gets -32003 and the gateway is told to stop with rpc.cancel. */
  timedOut(call, timeoutMs) {
    const queued = this.queue.indexOf(call);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
    }
    const wasInFlight = this.inFlight.has(call.id);
    this.settle(call, timeoutError(`no answer from ${call.method} within ${timeoutMs} ms`));
    if (wasInFlight && call.socket === this.socket && this.phase === 'open') {
      this.socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'rpc.cancel', params: { id: call.id } }));
    }
    this.pump();
  }

  received(text) {
    this.lastHeard = Date.now();
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      this.emit('error', new Error('unreadable frame from the gateway'));
      return;
    }
    for (const response of Array.isArray(message) ? message : [message]) {
      if (!response || typeof response !== 'object') {
        continue;
      }
      const call = this.inFlight.get(response.id);
      if (call && response.error) {
        this.settle(call, fromResponse(response.error));
      } else if (call) {
        this.settle(call, null, response.result ?? null);
      } else if (response.error && response.id === null) {
        this.emit('error', fromResponse(response.error));
      }
    }
    this.pump();
  }

  close() {
    if (this.phase === 'closed') {
      return;
    }
    this.phase = 'closed';
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    const closed = connectionLost('the client was closed');
    for (const call of [...this.queue, ...this.inFlight.values()]) {
      this.settle(call, closed);
    }
    this.queue = [];
    for (const waiter of this.readyWaiters.splice(0)) {
      waiter.reject(closed);
    }
    this.opening?.close();
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close(1000);
      this.socket = null;
    }
  }
}

const states = new WeakMap();

/** The client's state, made on first use: subclasses in the original library's style never call the constructor. */
const stateOf = (client) => {
  let state = states.get(client);
  if (!state) {
    state = new State(client);
    states.set(client, state);
  }
  return state;
};

/**
 * A client of a MultiWebsocket gateway: discovery, then one WebSocket for every service call.
 *
 * Give it a {@link Config}, or subclass it in the original library's style and set `this.config`;
 * the constructor need not run (all state is made on first use), so both
 * `MyClient.prototype = Object.create(MultiWebsocket.Client.prototype)` with a plain function, and a
 * class whose constructor only sets `this.config`, work.
 */
class Client {
  /** @param {Config} [config] */
  constructor(config) {
    if (config) {
      this.config = config;
    }
  }

  /**
   * Runs discovery, then opens the gateway socket. After a drop the client reconnects by itself.
   * @returns {Promise<void>} resolves when ready; rejects if this attempt fails, while the client
   *   keeps retrying in the background until close()
   */
  connect() {
    return stateOf(this).connect();
  }

  /**
   * Runs the callback once, when the client is next ready (at once if it is ready now).
   * @param {function()} callback called with this client as `this`
   */
  onReady(callback) {
    stateOf(this).onReady(callback);
  }

  /**
   * Listens to 'ready', 'disconnected' (argument: a CallError saying why), 'reconnected' or 'error'
   * (argument: the Error).
   * @param {string} event
   * @param {function(*)} listener called with this client as `this`
   * @returns {Client} this client
   */
  on(event, listener) {
    stateOf(this).on(event, listener);
    return this;
  }

  /** @returns {boolean} whether the socket is open */
  isReady() {
    return stateOf(this).phase === 'open';
  }

  /**
   * Calls a service. Calls made while the socket is not open wait in a queue.
   * @param {string} name the service, in any form: '/helloworld/', 'helloworld'
   * @param {Object|Array} [payload] the params
   * @param {{timeoutMs: number}} [options] this call's deadline
   * @returns {Promise<*>} the result. Rejects with a CallError (code, message, data): the gateway's
   *   error; at once -32601 for a service discovery does not list, -32600 for a request larger than
   *   the gateway's maxMessageBytes, -32602 for params that are not an object or array; -32003 past
   *   the deadline (and the gateway is sent rpc.cancel); -32004 when the queue is full; -32000 when
   *   the connection drops or the client is closed first.
   */
  callService(name, payload, options) {
    return stateOf(this).call(name, payload, options);
  }

  /** Closes the socket, stops reconnecting and rejects every pending call with -32000. */
  close() {
    stateOf(this).close();
  }
}

globalThis.MultiWebsocket = { Client, CallError, SUBPROTOCOL, version };
})();
