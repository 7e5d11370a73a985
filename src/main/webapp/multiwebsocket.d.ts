/*
 * TypeScript declarations of the MultiWebsocket browser client (multiwebsocket.js, and the ES module
 * multiwebsocket.mjs the build derives from it). The gateway serves this file beside them.
 *
 * One file for both ways of loading the client. Put it in your sources (or reference it with
 * `/// <reference path="multiwebsocket.d.ts" />`), then either
 *   - use the global `MultiWebsocket` that `<script src="/multiwebsocket.js">` defines:
 *     `new MultiWebsocket.Client({...})`, types as `MultiWebsocket.Config`, ...; or
 *   - import the module by any path that ends in `/multiwebsocket.mjs`:
 *     `import { Client, CallError, type Config } from './multiwebsocket.mjs'`.
 * (The global is declared either way; a page that only imports the module has no global at run time.)
 *
 * Results, stream items and topic messages are JSON the gateway sends: `unknown` unless the caller
 * names their type, e.g. `client.callService<Greeting>('helloworld', { name: 'Ada' })`. The wire
 * protocol is PROTOCOL.md; streams and topics are its sections 8 and 9.
 */

declare namespace MultiWebsocket {
  /** The subprotocol the client offers: 'multiwebsocket.v1'. */
  const SUBPROTOCOL: 'multiwebsocket.v1';

  /** The client's version, e.g. '0.1.0'. */
  const version: string;

  /** The client's configuration: the keys as the original library spells them. */
  interface Config {
    /** Where discovery answers, e.g. 'http://localhost:8080/api/discover'. Required. */
    'service-discovery-url': string;
    /** A call's deadline in ms (null: discovery's limits.callTimeoutMs). */
    'call-timeout-ms'?: number | null;
    /** Calls that may wait for the socket (1000); past it a call fails with -32004. */
    'max-queued-calls'?: number | null;
    /** The rpc.ping interval in ms (null: discovery's limits.heartbeatMs; 0: off). */
    'heartbeat-ms'?: number | null;
    /** The first reconnection delay in ms (250), doubled per failure. */
    'reconnect-initial-delay-ms'?: number | null;
    /** The longest reconnection delay in ms (10000). */
    'reconnect-max-delay-ms'?: number | null;
    /** How long a connection must stay up for the delay to start over (5000 ms). */
    'reconnect-reset-after-ms'?: number | null;
    /** Offered as the subprotocol entry bearer.<token>, and sent to discovery as Authorization: Bearer. */
    'bearer-token'?: string | null;
    /** Items of one stream that may wait for the page to take them (10000); past it: cancelled, -32004. */
    'max-buffered-items'?: number | null;
    /**
     * Whether every socket opens with a session (PROTOCOL.md section 10) where discovery announces them
     * (true): calls, streams and subscriptions survive a dropped socket; false: they fail with -32000.
     */
    sessions?: boolean | null;
  }

  /** A call's params: an object or an array (anything else is refused with -32602); none: omitted. */
  type Params = object | null | undefined;

  interface CallOptions {
    /** This call's deadline in ms. */
    timeoutMs?: number;
  }

  interface StreamOptions extends CallOptions {
    /**
     * timeoutMs: the longest wait for the first item and then between items, not for the whole stream.
     * maxBufferedItems: items that may wait for the loop to take them (config 'max-buffered-items').
     */
    maxBufferedItems?: number;
  }

  /** How the gateway ended a stream: the ordinary response to the call. */
  interface StreamEnd {
    /** How many items it sent. */
    items: number;
  }

  /**
   * A stream's items, in order, as an async iterator: `for await (const item of stream) { ... }`.
   * Iterated by hand, the final `{done: true, value}` carries the gateway's answer ({items: n});
   * `undefined` once the stream was stopped with return() (what `break` calls) or had ended before.
   * The iteration rejects, after the items that came first, with a CallError.
   */
  interface Stream<T = unknown> extends AsyncIterator<T, StreamEnd | undefined, undefined> {
    /** The request goes out at the first call. */
    next(): Promise<IteratorResult<T, StreamEnd | undefined>>;
    /** Stops the stream: the gateway is sent rpc.cancel; items not taken are dropped. */
    return(value?: StreamEnd): Promise<IteratorReturnResult<StreamEnd | undefined>>;
    [Symbol.asyncIterator](): Stream<T>;
  }

  /** A position in a topic: the offset of a message and the epoch of the topic's history. */
  interface Position {
    offset: number;
    epoch: string;
  }

  /** Where a topic's message stands; the second argument of a subscription's callback. */
  interface MessageMeta extends Position {
    topic: string;
  }

  /** The gateway's answer to a subscription. */
  interface Subscribed extends Position {
    topic: string;
    /** false: some messages after `since` were lost (older than history, or another epoch). */
    recovered: boolean;
  }

  interface SubscribeOptions {
    /** First deliver the messages the topic keeps. */
    history?: boolean;
    /** Carry on from a position saved earlier (a 'gap' event when the gateway cannot). */
    since?: Position | null;
  }

  /**
   * What subscribe() returns: call it to remove the listener (the last one sends rpc.unsubscribe);
   * it resolves true, false when called again.
   */
  interface Unsubscribe {
    (): Promise<boolean>;
    /** The gateway's first answer; rejects with a CallError when the gateway refuses the subscription. */
    readonly subscribed: Promise<Subscribed>;
  }

  /**
   * The 'gap' event: a re-subscription could not deliver every message missed since `since`, or
   * messages went missing on the way (the offsets jumped, or a new epoch began: history lost in a cluster).
   */
  interface Gap extends Position {
    topic: string;
    since: Position;
  }

  /** The names a CallError has: which kind of failure it is. */
  type CallErrorName = 'ServiceCallError' | 'TimeoutError' | 'ConnectionLostError' | 'SessionLostError';

  /**
   * Why a call, a stream or a subscription failed: the gateway's JSON-RPC error, or one the client
   * raised itself. `name` tells which kind ('TimeoutError': code -32003; 'ConnectionLostError': code
   * -32000; 'SessionLostError': code -32007; 'ServiceCallError': any other).
   */
  class CallError extends Error {
    constructor(message: string, code: number, data?: unknown, name?: CallErrorName);
    name: CallErrorName;
    /** The JSON-RPC error code: the gateway's (PROTOCOL.md section 4), or a service's own. */
    code: number;
    /** The error's data; null when there is none. */
    data: unknown;
    /** Set on a subscription the gateway refused: the topic. */
    topic?: string;
  }

  /** The gateway's error, or one the client raised before sending (-32601, -32600, -32602, -32004). */
  interface ServiceCallError extends CallError {
    name: 'ServiceCallError';
  }

  /** No answer (or, for a stream, no item) within the deadline; the gateway was sent rpc.cancel. */
  interface TimeoutError extends CallError {
    name: 'TimeoutError';
    code: -32003;
  }

  /** The socket dropped, or the client was closed, while the call was pending; it is not replayed. */
  interface ConnectionLostError extends CallError {
    name: 'ConnectionLostError';
    code: -32000;
    /** The close frame's code and reason when the socket closed; null otherwise. */
    data: { closeCode: number; closeReason: string } | null;
  }

  /**
   * The socket dropped and the gateway could not resume the session (expired, overflowed, unknown): the
   * call or stream was in flight on it and is not replayed, as it may have run. Calls not yet sent go out
   * on the client's new session.
   */
  interface SessionLostError extends CallError {
    name: 'SessionLostError';
    code: -32007;
    /** The gateway's error data, e.g. `{reason: 'unknown or expired session'}`; null when it gave none. */
    data: { reason?: string } | null;
  }

  /** Any CallError, told apart by `name`: `if (error.name === 'TimeoutError') ...`. */
  type AnyCallError = ServiceCallError | TimeoutError | ConnectionLostError | SessionLostError;

  /** An 'error' event: discovery failed (`retryAfterMs` from its Retry-After), an unreadable frame, ... */
  interface ClientError extends Error {
    retryAfterMs?: number;
  }

  /**
   * A client of a MultiWebsocket gateway: discovery, then one WebSocket for every service call.
   * Subclasses may skip the constructor and set `this.config` instead (the original library's style).
   */
  class Client {
    constructor(config?: Config);

    /** Read at connect() and whenever an option is needed. */
    config?: Config;

    /**
     * Runs discovery, then opens the gateway socket; after a drop the client reconnects by itself.
     * Resolves when ready; rejects if this attempt fails (the client keeps retrying until close()).
     */
    connect(): Promise<void>;

    /** Runs the callback once, when the client is next ready (at once if it is ready now). */
    onReady(callback: (this: this) => void): void;

    /** The socket opened for the first time. */
    on(event: 'ready', listener: (this: this) => void): this;
    /** The socket opened again after a drop. */
    on(event: 'reconnected', listener: (this: this) => void): this;
    /** The socket dropped; the argument says why. */
    on(event: 'disconnected', listener: (this: this, reason: ConnectionLostError) => void): this;
    /** A connection attempt failed, an unreadable frame came, or the gateway refused a subscription (a CallError with `topic`). */
    on(event: 'error', listener: (this: this, error: ClientError | CallError) => void): this;
    /** A re-subscription could not deliver every missed message: refetch the topic's state. */
    on(event: 'gap', listener: (this: this, gap: Gap) => void): this;
    /** After a drop, the session was resumed (before 'reconnected'): nothing pending was lost or runs twice. */
    on(event: 'session-resumed', listener: (this: this) => void): this;
    /**
     * After a drop, the gateway could not resume the session (before 'reconnected'): what was in flight on it
     * failed with the same error; a new session started and topics subscribed again ('gap' where messages are lost).
     */
    on(event: 'session-lost', listener: (this: this, reason: SessionLostError) => void): this;

    /** Whether the socket is open. */
    isReady(): boolean;

    /**
     * Calls a service by name in any form ('/helloworld/', 'helloworld'). Resolves with the result
     * (a stream service's items in one array); rejects with a CallError.
     */
    callService<R = unknown>(name: string, payload?: Params, options?: CallOptions): Promise<R>;

    /** Calls a stream service (discovery marks it `stream: true`) and takes its items one by one. */
    stream<T = unknown>(name: string, payload?: Params, options?: StreamOptions): Stream<T>;

    /**
     * Subscribes to a topic; the subscription lasts across reconnections until unsubscribed or close().
     * onMessage is called once per message, in order, with the message's data and where it stands.
     */
    subscribe<M = unknown>(topic: string, onMessage: (this: this, data: M, meta: MessageMeta) => void,
                           options?: SubscribeOptions): Unsubscribe;

    /** Acknowledges the session's messages, closes the socket, stops reconnecting, fails what is pending with -32000, ends every subscription. */
    close(): void;
  }
}

/** The ES module multiwebsocket.mjs, by whatever path the page imports it: the global's members as exports. */
declare module '*/multiwebsocket.mjs' {
  export import Client = MultiWebsocket.Client;
  export import CallError = MultiWebsocket.CallError;
  export import SUBPROTOCOL = MultiWebsocket.SUBPROTOCOL;
  export import version = MultiWebsocket.version;
  export type Config = MultiWebsocket.Config;
  export type Params = MultiWebsocket.Params;
  export type CallOptions = MultiWebsocket.CallOptions;
  export type StreamOptions = MultiWebsocket.StreamOptions;
  export type StreamEnd = MultiWebsocket.StreamEnd;
  export type Stream<T = unknown> = MultiWebsocket.Stream<T>;
  export type Position = MultiWebsocket.Position;
  export type MessageMeta = MultiWebsocket.MessageMeta;
  export type Subscribed = MultiWebsocket.Subscribed;
  export type SubscribeOptions = MultiWebsocket.SubscribeOptions;
  export type Unsubscribe = MultiWebsocket.Unsubscribe;
  export type Gap = MultiWebsocket.Gap;
  export type CallErrorName = MultiWebsocket.CallErrorName;
  export type ServiceCallError = MultiWebsocket.ServiceCallError;
  export type TimeoutError = MultiWebsocket.TimeoutError;
  export type ConnectionLostError = MultiWebsocket.ConnectionLostError;
  export type SessionLostError = MultiWebsocket.SessionLostError;
  export type AnyCallError = MultiWebsocket.AnyCallError;
  export type ClientError = MultiWebsocket.ClientError;
  /** The default export: an object with the same four members. */
  const multiwebsocket: typeof MultiWebsocket;
  export default multiwebsocket;
}
