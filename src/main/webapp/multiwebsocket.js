/*
 * MultiWebsocket browser client: one WebSocket to a MultiWebsocket gateway, every service called by
 * name, each call answered through a Promise. Works as a classic <script> (global MultiWebsocket)
 * and as a module (import './multiwebsocket.js', or the named exports of multiwebsocket.mjs).
 * No dependency, no build step. The wire protocol is JSON-RPC 2.0 (PROTOCOL.md).
 */
(function (global) {
  'use strict';

  var SUBPROTOCOL = 'multiwebsocket.v1';
  var DEFAULTS = {
    'call-timeout-ms': null,            // null: discovery's limits.callTimeoutMs
    'max-queued-calls': 1000,
    'heartbeat-ms': null,               // null: discovery's limits.heartbeatMs; 0: off
    'reconnect-initial-delay-ms': 250,
    'reconnect-max-delay-ms': 10000,
    'bearer-token': null
  };

  /** Per-instance state, created lazily: subclasses never call the Client constructor. */
  var states = new WeakMap();

  function state(client) {
    var s = states.get(client);
    if (!s) {
      s = {
        phase: 'new',          // new | connecting | open | disconnected | closed
        everReady: false,
        socket: null,
        discovery: null,
        nextId: 1,
        inFlight: new Map(),   // id -> call
        queue: [],
        listeners: { ready: [], disconnected: [], reconnected: [], error: [] },
        readyCallbacks: [],
        readyWaiters: [],
        failedAttempts: 0,
        retryTimer: null,
        heartbeatTimer: null,
        lastPong: 0
      };
      states.set(client, s);
    }
    return s;
  }

  function option(client, key) {
    var config = client.config || {};
    return Object.prototype.hasOwnProperty.call(config, key) && config[key] !== undefined
      ? config[key] : DEFAULTS[key];
  }

  function canonical(name) {
    return String(name).replace(/^\/+/, '').replace(/\/+$/, '');
  }

  /**
   * An Error carrying a JSON-RPC error's code, message and data. name is 'ServiceCallError', or
   * 'TimeoutError' (code -32003), 'ConnectionLostError' (code -32000: the socket dropped while the
   * call was in flight; it is not replayed).
   */
  function callError(name, code, message, data) {
    var error = new Error(message);
    error.name = name;
    error.code = code;
    error.data = data === undefined ? null : data;
    return error;
  }

  function fromResponse(error) {
    var code = typeof error.code === 'number' ? error.code : -32603;
    return callError(code === -32003 ? 'TimeoutError' : 'ServiceCallError', code,
      typeof error.message === 'string' ? error.message : 'error', error.data);
  }

  function emit(client, event, argument) {
    state(client).listeners[event].slice().forEach(function (listener) {
      try { listener.call(client, argument); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  /**
   * The client. Give it a config, or set this.config in a subclass constructor:
   * { 'service-discovery-url': 'http://localhost:8080/api/discover' } (required), and optionally
   * 'call-timeout-ms', 'max-queued-calls', 'heartbeat-ms', 'reconnect-initial-delay-ms',
   * 'reconnect-max-delay-ms', 'bearer-token'.
   * @constructor
   * @param {Object} [config]
   */
  function Client(config) {
    if (config) { this.config = config; }
  }

  /**
   * Runs discovery, then opens the gateway socket. Reconnects by itself after a drop.
   * @returns {Promise<void>} resolves when ready; rejects if this attempt fails (the client keeps
   *   retrying in the background until close()).
   */
  Client.prototype.connect = function () {
    var s = state(this);
    var self = this;
    if (s.phase === 'closed') { return Promise.reject(new Error('the client is closed')); }
    if (s.phase === 'open') { return Promise.resolve(); }
    var waiter = new Promise(function (resolve, reject) { s.readyWaiters.push({ resolve: resolve, reject: reject }); });
    if (s.phase === 'new') {
      s.phase = 'connecting';
      attempt(self);
    }
    return waiter;
  };

  /**
   * Runs the callback once, when the client is next ready (at once if it is ready now).
   * @param {function()} callback
   */
  Client.prototype.onReady = function (callback) {
    var s = state(this);
    if (s.phase === 'open') { callback.call(this); } else { s.readyCallbacks.push(callback); }
  };

  /**
   * Listens to 'ready', 'disconnected' (argument: the reason), 'reconnected' or 'error'.
   * @param {string} event
   * @param {function(*)} listener
   */
  Client.prototype.on = function (event, listener) {
    var listeners = state(this).listeners[event];
    if (!listeners) { throw new Error('unknown event ' + event); }
    listeners.push(listener);
    return this;
  };

  /** @returns {boolean} whether the socket is open */
  Client.prototype.isReady = function () {
    return state(this).phase === 'open';
  };

  /**
   * Calls a service.
   * @param {string} name the service, any form ('/helloworld/', 'helloworld')
   * @param {Object|Array} [payload] the params
   * @param {{timeoutMs: number}} [options] this call's deadline
   * @returns {Promise<*>} the result; rejects with an Error carrying code, message and data.
   *   An unknown service rejects at once (-32601), so does a request larger than the gateway's
   *   maxMessageBytes (-32600); a deadline with -32003 (the gateway is sent
   *   rpc.cancel), a full queue with -32004, a dropped connection with -32000.
   */
  Client.prototype.callService = function (name, payload, options) {
    var self = this;
    var s = state(this);
    if (s.phase === 'closed') {
      return Promise.reject(callError('ConnectionLostError', -32000, 'the client is closed'));
    }
    if (payload !== undefined && payload !== null && typeof payload !== 'object') {
      return Promise.reject(callError('ServiceCallError', -32602, 'params must be an object or an array'));
    }
    if (s.discovery && !listed(s.discovery, name)) {
      return Promise.reject(unknown(name));
    }
    return new Promise(function (resolve, reject) {
      var id = s.nextId++;
      var timeoutMs = (options && options.timeoutMs) || option(self, 'call-timeout-ms')
        || (s.discovery && s.discovery.limits && s.discovery.limits.callTimeoutMs) || 30000;
      var call = { id: id, method: name, payload: payload, resolve: resolve, reject: reject, sent: false, timer: null };
      call.timer = setTimeout(function () { timedOut(self, call, timeoutMs); }, timeoutMs);
      route(self, call);
    });
  };

  /** Closes the socket and rejects every pending call. */
  Client.prototype.close = function () {
    var s = state(this);
    if (s.phase === 'closed') { return; }
    s.phase = 'closed';
    clearTimeout(s.retryTimer);
    clearInterval(s.heartbeatTimer);
    var lost = callError('ConnectionLostError', -32000, 'the client was closed');
    s.queue.concat(Array.from(s.inFlight.values())).forEach(function (call) { settle(s, call, null, lost); });
    s.queue = [];
    s.readyWaiters.splice(0).forEach(function (w) { w.reject(lost); });
    if (s.socket) { s.socket.onclose = null; s.socket.close(1000); s.socket = null; }
  };

  function listed(discovery, name) {
    return String(name).indexOf('rpc.') === 0
      || Object.prototype.hasOwnProperty.call(discovery.services || {}, canonical(name));
  }

  function unknown(name) {
    return callError('ServiceCallError', -32601, "Method not found: discovery lists no service '" + name + "'",
      { method: name });
  }

  function maxInFlight(s) {
    return (s.discovery && s.discovery.limits && s.discovery.limits.maxInFlight) || 256;
  }

  function route(client, call) {
    var s = state(client);
    if (s.phase === 'open' && s.inFlight.size < maxInFlight(s)) {
      send(client, call);
    } else if (s.queue.length < option(client, 'max-queued-calls')) {
      s.queue.push(call);
    } else {
      settle(s, call, null, callError('ServiceCallError', -32004,
        'the call queue is full (' + option(client, 'max-queued-calls') + ' calls)', { queued: s.queue.length }));
    }
  }

  function send(client, call) {
    var s = state(client);
    if (s.discovery && !listed(s.discovery, call.method)) {
      settle(s, call, null, unknown(call.method));
      return;
    }
    var request = { jsonrpc: '2.0', id: call.id, method: call.method };
    if (call.payload !== undefined && call.payload !== null) { request.params = call.payload; }
    var frame = JSON.stringify(request);
    var limit = s.discovery && s.discovery.limits && s.discovery.limits.maxMessageBytes;
    var bytes = limit ? new TextEncoder().encode(frame).length : 0;
    if (limit && bytes > limit) {
      settle(s, call, null, callError('ServiceCallError', -32600, 'the request to ' + call.method + ' is ' + bytes
        + ' bytes, more than the gateway accepts (maxMessageBytes ' + limit + ')', { bytes: bytes, maxMessageBytes: limit }));
      return;
    }
    s.inFlight.set(call.id, call);
    call.sent = true;
    call.socket = s.socket;
    s.socket.send(frame);
  }

  function pump(client) {
    var s = state(client);
    while (s.queue.length && s.phase === 'open' && s.inFlight.size < maxInFlight(s)) {
      send(client, s.queue.shift());
    }
  }

  function settle(s, call, result, error) {
    clearTimeout(call.timer);
    s.inFlight.delete(call.id);
    if (error) { call.reject(error); } else { call.resolve(result); }
  }

  function timedOut(client, call, timeoutMs) {
    var s = state(client);
    var queued = s.queue.indexOf(call);
    if (queued >= 0) { s.queue.splice(queued, 1); }
    var wasInFlight = s.inFlight.has(call.id);
    settle(s, call, null, callError('TimeoutError', -32003,
      'no answer from ' + call.method + ' within ' + timeoutMs + ' ms'));
    if (wasInFlight && s.socket === call.socket && s.phase === 'open') {
      s.socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'rpc.cancel', params: { id: call.id } }));
    }
    pump(client);
  }

  function received(client, text) {
    var s = state(client);
    var message;
    s.lastPong = Date.now();
    try { message = JSON.parse(text); } catch (e) {
      emit(client, 'error', new Error('unreadable frame from the gateway'));
      return;
    }
    (Array.isArray(message) ? message : [message]).forEach(function (response) {
      if (!response || typeof response !== 'object') { return; }
      if (response.id === s.pingId) { return; }
      var call = s.inFlight.get(response.id);
      if (!call) {
        if (response.error && response.id === null) { emit(client, 'error', fromResponse(response.error)); }
        return;
      }
      if (response.error) {
        settle(s, call, null, fromResponse(response.error));
      } else {
        settle(s, call, response.result === undefined ? null : response.result);
      }
    });
    pump(client);
  }

  function attempt(client) {
    var s = state(client);
    var url = option(client, 'service-discovery-url');
    if (!url) {
      fail(client, new Error("config 'service-discovery-url' is not set"));
      return;
    }
    var headers = { Accept: 'application/json' };
    var token = option(client, 'bearer-token');
    if (token) { headers.Authorization = 'Bearer ' + token; }
    fetch(url, { headers: headers }).then(function (response) {
      if (!response.ok) { throw new Error('discovery answered HTTP ' + response.status); }
      return response.json();
    }).then(function (discovery) {
      if (s.phase === 'closed') { return; }
      s.discovery = discovery;
      s.queue = s.queue.filter(function (call) {
        if (listed(discovery, call.method)) { return true; }
        settle(s, call, null, unknown(call.method));
        return false;
      });
      var gateways = (discovery.gateways && discovery.gateways.length) ? discovery.gateways : [discovery.gateway];
      tryGateway(client, gateways, 0);
    }).catch(function (error) {
      fail(client, error instanceof Error ? error : new Error(String(error)));
    });
  }

  function tryGateway(client, gateways, index) {
    var s = state(client);
    if (index >= gateways.length) {
      fail(client, new Error('no gateway of ' + JSON.stringify(gateways) + ' could be opened'));
      return;
    }
    var protocols = [SUBPROTOCOL];
    var token = option(client, 'bearer-token');
    if (token) { protocols.push('bearer.' + token); }
    var socket;
    try { socket = new WebSocket(gateways[index], protocols); } catch (e) {
      tryGateway(client, gateways, index + 1);
      return;
    }
    var opened = false;
    socket.onopen = function () {
      opened = true;
      if (s.phase === 'closed') { socket.close(1000); return; }
      opened_(client, socket);
    };
    socket.onmessage = function (event) { received(client, event.data); };
    socket.onclose = function (event) {
      if (!opened) { tryGateway(client, gateways, index + 1); return; }
      lost(client, socket, callError('ConnectionLostError', -32000,
        'the connection to the gateway was lost (' + event.code + (event.reason ? ' ' + event.reason : '') + ')',
        { closeCode: event.code, closeReason: event.reason }));
    };
  }

  function opened_(client, socket) {
    var s = state(client);
    s.socket = socket;
    s.phase = 'open';
    s.failedAttempts = 0;
    s.lastPong = Date.now();
    var heartbeatMs = option(client, 'heartbeat-ms');
    if (heartbeatMs === null) { heartbeatMs = (s.discovery.limits && s.discovery.limits.heartbeatMs) || 25000; }
    if (heartbeatMs > 0) {
      s.heartbeatTimer = setInterval(function () { heartbeat(client, socket, heartbeatMs); }, heartbeatMs);
    }
    var reconnected = s.everReady;
    s.everReady = true;
    pump(client);
    s.readyWaiters.splice(0).forEach(function (w) { w.resolve(); });
    emit(client, reconnected ? 'reconnected' : 'ready');
    s.readyCallbacks.splice(0).forEach(function (callback) {
      try { callback.call(client); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  /** Browsers cannot send ping frames: rpc.ping it is. Two silent intervals and the socket is dropped. */
  function heartbeat(client, socket, heartbeatMs) {
    var s = state(client);
    if (s.socket !== socket) { return; }
    if (Date.now() - s.lastPong > 2 * heartbeatMs + heartbeatMs / 2) {
      lost(client, socket, callError('ConnectionLostError', -32000, 'heartbeat: the gateway stopped answering'));
      try { socket.close(); } catch (e) { /* already closing */ }
      return;
    }
    s.pingId = 'ping-' + (s.nextId++);
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: s.pingId, method: 'rpc.ping' }));
  }

  function lost(client, socket, reason) {
    var s = state(client);
    if (s.socket !== socket || s.phase !== 'open') { return; }
    s.socket = null;
    s.phase = 'disconnected';
    clearInterval(s.heartbeatTimer);
    Array.from(s.inFlight.values()).forEach(function (call) { settle(s, call, null, reason); });
    emit(client, 'disconnected', reason);
    scheduleRetry(client);
  }

  function fail(client, error) {
    var s = state(client);
    if (s.phase === 'closed') { return; }
    s.readyWaiters.splice(0).forEach(function (w) { w.reject(error); });
    emit(client, 'error', error);
    scheduleRetry(client);
  }

  function scheduleRetry(client) {
    var s = state(client);
    var initial = option(client, 'reconnect-initial-delay-ms');
    var max = option(client, 'reconnect-max-delay-ms');
    var delay = Math.min(max, initial * Math.pow(2, Math.min(s.failedAttempts++, 20)));
    var jittered = delay / 2 + Math.random() * delay / 2;
    clearTimeout(s.retryTimer);
    s.retryTimer = setTimeout(function () {
      if (s.phase !== 'closed' && s.phase !== 'open') { attempt(client); }
    }, jittered);
  }

  global.MultiWebsocket = { Client: Client, SUBPROTOCOL: SUBPROTOCOL, version: '0.1.0' };
}(typeof globalThis !== 'undefined' ? globalThis : this));
