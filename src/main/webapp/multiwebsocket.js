/*
 * MultiWebsocket browser client: one WebSocket to a MultiWebsocket gateway, every service called by
 * name, each call answered through a Promise, each stream's items through an async iterator, each
 * topic's messages through a callback. No dependency; the wire protocol is JSON-RPC 2.0
 * (PROTOCOL.md; streams, topics and sessions: its sections 8, 9 and 10).
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
 * @property {number} ['max-buffered-items'] items of one stream that may wait for the page to take them
 *   (10000); past it the client cancels the stream and fails it with -32004
 * @property {boolean} [sessions] whether every socket opens with a session (PROTOCOL.md section 10) where
 *   discovery announces them (true): calls, streams and subscriptions then survive a dropped socket
 */
const DEFAULTS = {
  'call-timeout-ms': null,
  'max-queued-calls': 1000,
  'heartbeat-ms': null,
  'reconnect-initial-delay-ms': 250,
  'reconnect-max-delay-ms': 10000,
  'reconnect-reset-after-ms': 5000,
  'bearer-token': null,
  'max-buffered-items': 10000,
  sessions: true,
};

const EVENTS = ['ready', 'disconnected', 'reconnected', 'error', 'gap', 'session-resumed', 'session-lost'];

// Sessions (PROTOCOL.md section 10): the id of rpc.session (no call's, which are numbers), when acks go out,
// and how long the gateway may take to answer rpc.session before the socket is given up.
const SESSION_ID = 'rpc.session';
const ACK_EVERY = 32;
const ACK_AFTER_MS = 1000;
const SESSION_ANSWER_MS = 10000;

const encoder = new TextEncoder();

// setTimeout runs at once any delay longer than this.
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Why a call failed: the gateway's JSON-RPC error, or one the client raised itself. `name` tells
 * which kind: 'ServiceCallError', 'TimeoutError' (code -32003), 'ConnectionLostError' (code
 * -32000: the socket dropped without a session, or the client was closed, while the call was pending;
 * it is not replayed) or 'SessionLostError' (code -32007: the socket dropped and the gateway could not
 * resume the session; not replayed either, as it may have run).
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

const sessionLost = (error) => new CallError(`the session was lost: the gateway could not resume it (${error.code} `
  + `${error.message})`, -32007, error.data ?? null, 'SessionLostError');

const unknownService = (name) =>
  new CallError(`Method not found: discovery lists no service '${name}'`, -32601, { method: name });

const notAStream = (name) => new CallError(`Method not found: discovery lists '${name}' as a call, `
  + 'not a stream: use callService', -32601, { method: name, stream: false });

const cancelFrame = (id) => JSON.stringify({ jsonrpc: '2.0', method: 'rpc.cancel', params: { id } });

// The since of a first subscription that asks for the topic's history: offset 0 of an epoch no topic
// has, so the gateway replays everything it keeps (PROTOCOL.md section 9).
const HISTORY = Object.freeze({ offset: 0, epoch: '' });

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
const invoke = (callback, self, ...args) => {
  try {
    callback.call(self, ...args);
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
    this.topics = new Map(); // topic -> its subscription, kept across reconnections
    this.session = null; // { id, token } of the session, kept across reconnections until lost
    this.sessionSocket = null; // the socket the session is on, or was on last
    this.handshaking = null; // an open socket waiting for the answer to rpc.session
    this.resuming = false;
    this.lastSeq = 0; // the highest seq processed; a message not past it is a duplicate
    this.ackedSeq = 0;
    this.unacked = 0;
    this.ackTimer = null;
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

  /** Whether discovery marks the service a stream. */
  streams(name) {
    return this.discovery?.services?.[canonical(name)]?.stream === true;
  }

  /** Why discovery rules the call out, or null. */
  refused(call) {
    if (!this.lists(call.method)) {
      return unknownService(call.method);
    }
    return call.stream && !this.streams(call.method) ? notAStream(call.method) : null;
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
      let discovery;
      try {
        discovery = await this.discover(url);
      } catch (error) {
        if (!this.discovery) {
          throw error;
        }
        // discovery is down (its node stopped, say): the gateways it listed last may still answer
        discovery = this.discovery;
      }
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
      const refused = this.refused(call);
      if (refused) {
        this.settle(call, refused);
      }
      return !refused;
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

  /** Whether discovery announces sessions (PROTOCOL.md section 10) and the config wants them. */
  sessionsWanted() {
    const limits = this.discovery?.limits ?? {};
    return this.option('sessions') !== false && ('sessionTtlMs' in limits || 'sessionBufferBytes' in limits);
  }

  /** A socket just opened: with sessions, rpc.session goes first and nothing else until its answer. */
  opened(socket) {
    if (!this.sessionsWanted()) {
      if (this.session) {
        this.loseSession({ code: -32007, message: 'the gateway no longer offers sessions' });
      }
      this.carry(socket, null);
      return;
    }
    this.handshaking = socket;
    socket.onmessage = (event) => this.sessionAnswered(socket, event.data);
    socket.onclose = () => this.handshakeFailed(socket);
    setTimeout(() => {
      if (this.handshaking === socket) {
        socket.close();
        this.handshakeFailed(socket);
      }
    }, SESSION_ANSWER_MS);
    this.requestSession(socket);
  }

  requestSession(socket) {
    this.resuming = this.session !== null;
    const params = this.resuming
      ? { resume: { session: this.session.id, token: this.session.token, ack: this.lastSeq } } : {};
    this.ackedSeq = this.lastSeq;
    this.unacked = 0;
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: SESSION_ID, method: 'rpc.session', params }));
  }

  /** The socket closed before the session was settled: try again, keeping the session. */
  handshakeFailed(socket) {
    if (this.handshaking !== socket) {
      return;
    }
    this.handshaking = null;
    if (this.phase !== 'closed') {
      this.scheduleRetry();
    }
  }

  /**
   * The answer to rpc.session: a session (resumed, or new), or an error. A resume refused fails what was in
   * flight on the session and asks for a new one; -32601 (a gateway without sessions) goes on without.
   */
  sessionAnswered(socket, text) {
    let answer = null;
    try {
      answer = JSON.parse(text);
    } catch {
      // not the answer
    }
    if (this.handshaking !== socket || answer?.id !== SESSION_ID) {
      return;
    }
    const result = answer.result;
    if (!answer.error && typeof result?.session === 'string' && typeof result.token === 'string') {
      const resumed = this.resuming && result.resumed === true && result.session === this.session?.id;
      if (this.resuming && !resumed) {
        this.loseSession({ code: -32007, message: 'the gateway started a new session instead' });
      }
      if (!resumed) {
        this.session = { id: result.session, token: result.token };
        this.lastSeq = 0;
        this.ackedSeq = 0;
      }
      this.carry(socket, resumed ? new Set(Array.isArray(result.known) ? result.known : []) : null);
      return;
    }
    const error = answer.error ?? { code: -32603, message: 'the gateway answered rpc.session without a session' };
    if (this.resuming) {
      this.loseSession(error);
      if (error.code !== -32601) {
        this.requestSession(socket);
        return;
      }
    } else if (error.code !== -32601) {
      this.emit('error', new CallError(`the gateway refused a session (${error.code} ${error.message}); `
        + 'the client goes on without one on this socket', error.code, error.data ?? null));
    }
    this.carry(socket, null);
  }

  /** Forgets the session: every call and stream in flight on it fails with -32007; topics subscribe again. */
  loseSession(error) {
    const reason = sessionLost(error);
    const was = this.sessionSocket;
    for (const call of [...this.inFlight.values()]) {
      if (was && call.socket === was) {
        this.settle(call, reason);
      }
    }
    for (const topic of this.topics.values()) {
      topic.answer = null;
    }
    this.session = null;
    this.sessionSocket = null;
    this.lastSeq = 0;
    this.ackedSeq = 0;
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.emit('session-lost', reason);
  }

  /** The session moved to a new socket: calls the gateway does not know go out again, the rest wait. */
  resume(socket, known) {
    const was = this.sessionSocket;
    for (const call of this.inFlight.values()) {
      if (call.socket === was) {
        call.socket = socket;
        if (!known.has(call.id)) {
          socket.send(call.frame); // the gateway never got it: it cannot have run
        }
      }
    }
    for (const id of known) {
      if (typeof id === 'number' && !this.inFlight.has(id)) {
        socket.send(cancelFrame(id)); // abandoned meanwhile (timed out, stopped): the gateway may still run it
      }
    }
    this.emit('session-resumed');
  }

  /** Counts a message of the session; rpc.ack after ACK_EVERY of them, or ACK_AFTER_MS after the first. */
  counted() {
    if (++this.unacked >= ACK_EVERY) {
      this.ack();
    } else if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => this.ack(), ACK_AFTER_MS);
    }
  }

  ack() {
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    const socket = this.socket;
    if (this.session && this.lastSeq > this.ackedSeq && socket && socket === this.sessionSocket
      && socket.readyState === 1) {
      this.ackedSeq = this.lastSeq;
      this.unacked = 0;
      socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'rpc.ack', params: { seq: this.lastSeq } }));
    }
  }

  /** The socket carries calls from now on; `known` (a Set of call ids) when it resumed the session. */
  carry(socket, known) {
    this.handshaking = null;
    const resumed = known !== null && this.sessionSocket !== null;
    if (resumed) {
      this.resume(socket, known);
    }
    if (this.session) {
      this.sessionSocket = socket;
    }
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
    // Subscriptions first, so that a queued call publishing to a topic cannot outrun them. Those the
    // resumed session confirmed carry on as they were.
    for (const topic of this.topics.values()) {
      if (resumed && topic.answer) {
        topic.attempt.socket = socket;
      } else {
        this.subscribeOn(topic);
      }
    }
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
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    // With a session, what is in flight waits for the next socket, which resumes it.
    const kept = this.session !== null && socket === this.sessionSocket;
    for (const call of [...this.inFlight.values()]) {
      if (!kept) {
        this.settle(call, reason);
      }
    }
    // Subscription requests belong to their socket (or session): the next one sends its own.
    for (const call of this.queue.filter((queued) => queued.bound)) {
      this.queue.splice(this.queue.indexOf(call), 1);
      this.settle(call, reason);
    }
    for (const topic of this.topics.values()) {
      if (!kept) {
        topic.answer = null;
      }
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
    return new Promise((resolve, reject) => this.begin({ method: name, payload, resolve, reject }, options));
  }

  /**
   * Sends a call, or queues it, or fails it at once. A call is { method, payload, resolve, reject },
   * plus `stream` for stream(), `bound` for the subscription requests of one socket, and, once begun,
   * its id, socket, deadline and timer, and `items`: the items of a stream not yet taken.
   */
  begin(call, options) {
    Object.assign(call, { id: this.nextId++, socket: null, timer: null });
    const refused = this.phase === 'closed' ? connectionLost('the client is closed')
      : call.payload != null && typeof call.payload !== 'object'
        ? new CallError('params must be an object or an array', -32602)
        : this.discovery && this.refused(call);
    if (refused) {
      this.settle(call, refused);
      return;
    }
    call.timeoutMs = options?.timeoutMs || this.option('call-timeout-ms') || this.limit('callTimeoutMs', 30000);
    call.maxItems = options?.maxBufferedItems || this.option('max-buffered-items');
    this.arm(call);
    this.route(call);
  }

  /** (Re)starts a call's deadline: for a stream it runs until the next item, not to the end. */
  arm(call) {
    clearTimeout(call.timer);
    call.timer = setTimeout(() => this.timedOut(call), Math.min(call.timeoutMs, LONGEST_TIMEOUT_MS));
  }

  /** A request of the client's own on the open socket (rpc.subscribe, rpc.unsubscribe): no deadline. */
  control(method, params) {
    return new Promise((resolve, reject) => {
      this.route({ id: this.nextId++, method, payload: params, resolve, reject, socket: null, timer: null, bound: true });
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
    call.frame = frame;
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

  /** Ends a call before its answer: the caller gets the error and the gateway is told to stop with rpc.cancel. */
  abandon(call, error) {
    const queued = this.queue.indexOf(call);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
    }
    const wasInFlight = this.inFlight.get(call.id) === call;
    this.settle(call, error);
    if (wasInFlight && call.socket === this.socket && this.phase === 'open') {
      this.socket.send(cancelFrame(call.id));
    }
    this.pump();
  }

  /** Past the deadline: -32003, and rpc.cancel to the gateway. */
  timedOut(call) {
    this.abandon(call, timeoutError(call.stream
      ? `nothing from the stream ${call.method} for ${call.timeoutMs} ms`
      : `no answer from ${call.method} within ${call.timeoutMs} ms`));
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
      if (this.session && typeof response.seq === 'number') {
        if (response.seq <= this.lastSeq) {
          continue; // delivered already (a replay, a duplicate)
        }
        this.lastSeq = response.seq;
        this.counted();
      }
      if (response.method === 'rpc.item') {
        this.item(response.params);
        continue;
      }
      if (response.method === 'rpc.message') {
        this.message(response.params);
        continue;
      }
      const call = this.inFlight.get(response.id);
      if (call && response.error) {
        this.settle(call, fromResponse(response.error));
      } else if (call) {
        const result = response.result ?? null;
        // callService on a stream: its items in one array, as plain clients and HTTP get them.
        const collected = !call.stream && this.streams(call.method) && !Array.isArray(result);
        this.settle(call, null, collected ? call.items ?? [] : result);
      } else if (response.error && response.id === null) {
        this.emit('error', fromResponse(response.error));
      }
    }
    this.pump();
  }

  /** An item of a stream in flight; held until the iterator hands it out. */
  item(params) {
    const call = this.inFlight.get(params?.id);
    if (!call) {
      return; // the call ended on this side already: cancelled, timed out
    }
    const held = call.items ?? (call.items = []);
    if (held.length >= call.maxItems) {
      this.abandon(call, new CallError(`the stream ${call.method} has ${held.length} items the page has not taken `
        + `(max-buffered-items): cancelled`, -32004, { maxBufferedItems: call.maxItems }));
      return;
    }
    held.push(params.item);
    this.arm(call);
    call.wake?.();
  }

  /**
   * stream(): the call starts at the first next(); the iterator hands out items in order as they
   * arrive, then ends with the gateway's answer ({items: n}) or rejects with its error.
   */
  stream(name, payload, options) {
    const waiters = [];
    let call = null;
    let outcome = null; // { error } or { result }: how the gateway ended the stream
    let finished = false; // the consumer stopped, or was handed the end
    const flush = () => {
      while (waiters.length) {
        if (call?.items?.length && !finished) {
          waiters.shift().resolve({ value: call.items.shift(), done: false });
        } else if (outcome && !finished) {
          finished = true;
          const waiter = waiters.shift();
          if (outcome.error) {
            waiter.reject(outcome.error);
          } else {
            waiter.resolve({ value: outcome.result, done: true });
          }
        } else if (finished) {
          waiters.shift().resolve({ value: undefined, done: true });
        } else {
          return;
        }
      }
    };
    const ended = (how) => {
      if (!outcome) {
        outcome = how;
        flush();
      }
    };
    const iterator = {
      [Symbol.asyncIterator]() {
        return iterator;
      },
      next: () => new Promise((resolve, reject) => {
        waiters.push({ resolve, reject });
        if (!call && !finished) {
          call = { method: name, payload, stream: true, items: [], wake: flush };
          call.resolve = (result) => {
            // A gateway that collected the items into an array (a connection without multiwebsocket.v1).
            if (Array.isArray(result)) {
              call.items.push(...result);
              result = { items: result.length };
            }
            ended({ result });
          };
          call.reject = (error) => ended({ error });
          this.begin(call, options);
        }
        flush();
      }),
      /** Stops the stream (what `break` does): the gateway is sent rpc.cancel, unread items are dropped. */
      return: (value) => {
        if (call && !outcome) {
          outcome = { result: value };
          this.abandon(call, new CallError('the stream was stopped', -32005));
        }
        finished = true;
        if (call) {
          call.items.length = 0;
        }
        flush();
        return Promise.resolve({ value, done: true });
      },
    };
    return iterator;
  }

  /** subscribe(): one gateway subscription per topic, shared by its listeners, renewed on every socket. */
  subscribe(name, onMessage, options) {
    if (typeof name !== 'string' || !name) {
      throw new TypeError('subscribe(topic, onMessage): the topic is a non-empty string');
    }
    if (typeof onMessage !== 'function') {
      throw new TypeError('subscribe(topic, onMessage): onMessage is a function');
    }
    const listener = { onMessage, answered: false };
    const subscribed = new Promise((resolve, reject) => Object.assign(listener, { resolve, reject }));
    subscribed.catch(() => {}); // whoever cares awaits it; the rest hear of a refusal through 'error'
    const handle = (topic) => {
      const unsubscribe = () => (topic ? this.unsubscribe(topic, listener) : Promise.resolve(false));
      unsubscribe.subscribed = subscribed;
      return unsubscribe;
    };
    if (this.phase === 'closed') {
      listener.reject(connectionLost('the client is closed'));
      return handle(null);
    }
    const existing = this.topics.get(name);
    if (existing) {
      existing.listeners.add(listener);
      if (existing.answer) {
        listener.answered = true;
        listener.resolve(existing.answer);
      }
      return handle(existing);
    }
    const topic = {
      name, listeners: new Set([listener]), since: options?.since ?? (options?.history ? HISTORY : null),
      position: null, // the last message delivered, or where the subscription started: the next since
      floor: 0, // messages of the current subscription at or below this offset were delivered already
      attempt: null, answer: null,
    };
    this.topics.set(name, topic);
    if (this.phase === 'open') {
      this.subscribeOn(topic);
    }
    return handle(topic);
  }

  subscribeOn(topic) {
    const since = topic.position ?? topic.since;
    const attempt = { socket: this.socket, since };
    topic.attempt = attempt;
    topic.answer = null;
    this.control('rpc.subscribe', since ? { topic: topic.name, since } : { topic: topic.name }).then(
      (answer) => this.subscribed(topic, attempt, answer),
      (error) => this.subscriptionRefused(topic, attempt, error));
  }

  subscribed(topic, attempt, answer) {
    if (topic.attempt !== attempt || this.topics.get(topic.name) !== topic) {
      return;
    }
    const since = attempt.since;
    // After the answer come the kept messages after since (all of them when the epoch is another), then new ones.
    const sameEpoch = since && since.epoch === answer.epoch;
    topic.floor = sameEpoch ? since.offset : since ? 0 : answer.offset;
    // Whether floor is the offset right before the next message (a replay after a gap starts where history does).
    topic.exact = !since || (sameEpoch && answer.recovered);
    topic.position = { offset: sameEpoch ? since.offset : answer.offset, epoch: answer.epoch };
    topic.answer = answer;
    if (since && since !== HISTORY && !answer.recovered) {
      this.emit('gap', { topic: topic.name, since, offset: answer.offset, epoch: answer.epoch });
    }
    for (const listener of topic.listeners) {
      if (!listener.answered) {
        listener.answered = true;
        listener.resolve(answer);
      }
    }
  }

  subscriptionRefused(topic, attempt, error) {
    if (topic.attempt !== attempt || this.topics.get(topic.name) !== topic || error.name === 'ConnectionLostError') {
      return; // the next socket subscribes again, unless the client was closed
    }
    this.topics.delete(topic.name);
    error.topic = topic.name;
    for (const listener of topic.listeners) {
      if (!listener.answered) {
        listener.reject(error);
      }
    }
    this.emit('error', error);
  }

  message(params) {
    const topic = this.topics.get(params?.topic);
    const newEpoch = topic?.answer && params.epoch !== topic.answer.epoch;
    if (!topic?.answer || (!newEpoch && !(params.offset > topic.floor))) {
      return; // not subscribed (any more), or delivered already
    }
    if (newEpoch || (topic.exact && params.offset > topic.floor + 1)) {
      // History was lost (a new epoch), or the offsets jumped (a node fell behind): messages are missing.
      this.emit('gap', { topic: topic.name, since: topic.position, offset: params.offset - 1, epoch: params.epoch });
      topic.answer = { ...topic.answer, epoch: params.epoch };
    }
    topic.exact = true;
    topic.floor = params.offset;
    topic.position = { offset: params.offset, epoch: params.epoch };
    const meta = { offset: params.offset, epoch: params.epoch, topic: topic.name };
    for (const listener of [...topic.listeners]) {
      invoke(listener.onMessage, this.client, params.data, meta);
    }
  }

  unsubscribe(topic, listener) {
    if (!topic.listeners.delete(listener)) {
      return Promise.resolve(false);
    }
    if (!listener.answered) {
      listener.reject(new CallError('unsubscribed before the gateway answered', -32005));
    }
    if (topic.listeners.size || this.topics.get(topic.name) !== topic) {
      return Promise.resolve(true);
    }
    this.topics.delete(topic.name);
    if (this.phase !== 'open' || topic.attempt?.socket !== this.socket) {
      return Promise.resolve(true); // no socket holds the subscription
    }
    return this.control('rpc.unsubscribe', { topic: topic.name }).then(() => true, () => true);
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
    for (const topic of this.topics.values()) {
      for (const listener of topic.listeners) {
        if (!listener.answered) {
          listener.reject(closed);
        }
      }
    }
    this.topics.clear();
    for (const waiter of this.readyWaiters.splice(0)) {
      waiter.reject(closed);
    }
    this.opening?.close();
    this.handshaking?.close();
    this.handshaking = null;
    this.ack();
    clearTimeout(this.ackTimer);
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
   * Listens to 'ready', 'disconnected' (argument: a CallError saying why), 'reconnected', 'error'
   * (argument: the Error; a subscription the gateway refused is one, with `topic`) or 'gap'
   * (argument: {topic, since, offset, epoch}: a re-subscription with since could not deliver every
   * message missed since then; the replay that follows holds only what the topic still keeps, so the
   * page should refetch its state), 'session-resumed' (after a drop the session was resumed: calls,
   * streams and subscriptions carry on, nothing lost or run twice) or 'session-lost' (argument: the
   * CallError, code -32007, every call and stream in flight on the session failed with; a new session
   * started and topics subscribed again). Both come before 'reconnected'.
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
   *   the connection drops (without a session) or the client is closed first; -32007 when the connection
   *   dropped and the gateway could not resume the session. With a session, a dropped connection
   *   fails nothing: the call waits for the next socket, and is sent again only if the gateway never got it. A stream service answers with all its items
   *   in one array (as over HTTP; -32004 past max-buffered-items); stream() takes them one by one.
   */
  callService(name, payload, options) {
    return stateOf(this).call(name, payload, options);
  }

  /**
   * Calls a stream service (discovery marks it `stream: true`) and takes its items one by one:
   * `for await (const word of client.stream('/words/', { prefix: 'ab' })) { ... }`.
   *
   * The request goes out at the first next() (a `for await` makes it at once) and waits in the
   * queue like a call while the socket is not open. Items arrive in order; those the loop has not
   * taken yet wait in the iterator. The gateway holds no more than its `limits.streamWindow` items
   * ahead of the socket, but a browser cannot slow a WebSocket down, so what the socket delivered
   * waits here: past `max-buffered-items` (config or option) the client cancels the stream and the
   * iteration fails with -32004. `break` (the iterator's return()) sends rpc.cancel and drops the
   * items not taken.
   *
   * @param {string} name the stream service, in any form: '/words/', 'words'
   * @param {Object|Array} [payload] the params
   * @param {{timeoutMs: number, maxBufferedItems: number}} [options] timeoutMs: the longest wait for
   *   the first item and then between items (as the gateway's deadline runs), not for the whole stream
   * @returns {AsyncIterableIterator<*>} its items; when the stream ends, the final
   *   `{done: true, value}` carries the gateway's answer `{items: n}`. The iteration rejects, after
   *   handing out the items that came first, with a CallError: the gateway's error (a publisher failing
   *   mid-stream), -32601 at once for a service discovery does not list as a stream, -32003 when
   *   nothing came within timeoutMs, -32004 past max-buffered-items, -32000 (ConnectionLostError)
   *   when the socket drops without a session or the client is closed; -32007 when the session was lost.
   *   With a session, a stream carries on after a dropped socket once the session is resumed.
   */
  stream(name, payload, options) {
    return stateOf(this).stream(name, payload, options);
  }

  /**
   * Subscribes to a topic: `const unsubscribe = client.subscribe('chat', (data, meta) => { ... })`.
   *
   * Made before the client is ready, the subscription is sent when it is; it lasts until
   * unsubscribed or close(), across reconnections: the client remembers the offset and epoch of the
   * last message and re-subscribes on every new socket with `since`, so the gateway first delivers
   * what was missed (from its history); when it could not deliver all of it, 'gap' is emitted.
   * Listeners of one topic share one subscription; options count for the first of them.
   *
   * @param {string} topic a topic discovery lists, e.g. 'chat' (or one its prefix covers)
   * @param {function(*, {offset: number, epoch: string, topic: string})} onMessage called with this
   *   client as `this`, once per message, in order
   * @param {{history: boolean, since: {offset: number, epoch: string}}} [options] history: first
   *   deliver the messages the topic keeps; since: carry on from a position saved earlier (a 'gap'
   *   when it cannot)
   * @returns {function(): Promise<boolean>} unsubscribe: removes this listener and, for the last one,
   *   sends rpc.unsubscribe; resolves true (false when called again). Its `subscribed` member is a
   *   Promise of the gateway's first answer `{topic, offset, epoch, recovered}`, rejected with a
   *   CallError when the gateway refuses the subscription (also emitted as 'error'; it is dropped).
   */
  subscribe(topic, onMessage, options) {
    return stateOf(this).subscribe(topic, onMessage, options);
  }

  /**
   * Acknowledges what the session delivered, closes the socket, stops reconnecting, rejects every
   * pending call and fails every stream with -32000, and ends every subscription.
   */
  close() {
    stateOf(this).close();
  }
}

globalThis.MultiWebsocket = { Client, CallError, SUBPROTOCOL, version };
})();
