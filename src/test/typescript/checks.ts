// Checks of multiwebsocket.d.ts beyond the README's example: the global the classic script defines,
// the module's default export, and calls the declarations must refuse (each @ts-expect-error fails
// the check when its line type-checks, so a declaration that became too loose is caught too).
/// <reference path="./multiwebsocket.d.ts" />
import multiwebsocket, { SUBPROTOCOL, version, type AnyCallError, type Stream, type StreamEnd } from './multiwebsocket.mjs';

export async function classicScript(): Promise<void> {
  // The original library's style: a plain function whose prototype is the client's, config set on `this`.
  interface ExampleClient extends MultiWebsocket.Client { helloWorld(): Promise<{ greeting: string }> }
  const ExampleClient = function (this: ExampleClient) {
    this.config = { 'service-discovery-url': 'http://localhost:8080/api/discover', 'heartbeat-ms': 0 };
  } as unknown as { new (): ExampleClient };
  ExampleClient.prototype = Object.create(MultiWebsocket.Client.prototype);
  ExampleClient.prototype.helloWorld = function (this: ExampleClient) {
    return this.callService<{ greeting: string }>('/helloworld/', {});
  };
  const client = new ExampleClient();
  client.connect().catch((error: Error) => console.error(error.message));
  client.onReady(function () {
    this.helloWorld().then((data) => console.log(data.greeting.length));
  });
  client.on('ready', function () { console.log(this.isReady()); })
    .on('reconnected', () => undefined)
    .on('error', (error) => console.log(error.message, 'retryAfterMs' in error ? error.retryAfterMs : undefined));
  const protocol: 'multiwebsocket.v1' = MultiWebsocket.SUBPROTOCOL;
  console.log(protocol, MultiWebsocket.version.length);
}

export async function module(client: InstanceType<typeof multiwebsocket.Client>): Promise<void> {
  const same: typeof SUBPROTOCOL = multiwebsocket.SUBPROTOCOL;
  console.log(same, version.toUpperCase(), new multiwebsocket.CallError('m', 1) instanceof Error);
  const items: Stream<number> = client.stream<number>('numbers');
  const end: StreamEnd | undefined = (await items.return()).value;
  console.log(end?.items);
  const unsubscribe = client.subscribe('chat', (data, meta) => console.log(data, meta.topic, meta.offset, meta.epoch),
    { since: { offset: 3, epoch: 'e' } });
  const done: boolean = await unsubscribe();
  console.log(done);
  client.on('session-lost', (reason) => {
    const code: -32007 = reason.code;
    console.log(code, reason.name === 'SessionLostError', reason.data?.reason);
  }).on('session-resumed', function () { console.log(this.isReady()); });
  new MultiWebsocket.Client({ 'service-discovery-url': '/api/discover', sessions: false });
  client.on('disconnected', (reason) => {
    const code: -32000 = reason.code;
    console.log(code, reason.name === 'ConnectionLostError', reason.data?.closeReason);
  });
  try {
    await client.callService('x');
  } catch (error) {
    const known = error as AnyCallError;
    if (known.name === 'TimeoutError') {
      const code: -32003 = known.code;
      console.log(code);
    }
  }
}

export function refused(client: MultiWebsocket.Client): void {
  // @ts-expect-error the discovery URL is required
  new MultiWebsocket.Client({ 'call-timeout-ms': 5 });
  // @ts-expect-error a config key the client does not know
  new MultiWebsocket.Client({ 'service-discovery-url': '/api/discover', 'call-timeout': 5 });
  // @ts-expect-error params are an object or an array
  void client.callService('helloworld', 'Ada');
  // @ts-expect-error the option is timeoutMs
  void client.callService('helloworld', {}, { timeout: 5 });
  // @ts-expect-error no such event
  client.on('message', () => undefined);
  // @ts-expect-error 'session-lost' hands over a SessionLostError, whose code is -32007
  client.on('session-lost', (reason: MultiWebsocket.ConnectionLostError) => console.log(reason));
  // @ts-expect-error 'gap' hands over a Gap, not a string
  client.on('gap', (gap: string) => console.log(gap));
  // @ts-expect-error the message callback comes second
  client.subscribe(() => undefined, 'chat');
  // @ts-expect-error unsubscribe's answer is a Promise, not the subscription
  const answer: MultiWebsocket.Subscribed = client.subscribe('chat', () => undefined)();
  console.log(answer);
  // @ts-expect-error a stream's items are typed
  const wrong: Stream<string> = client.stream<number>('words');
  console.log(wrong);
}
