/// <reference path="./multiwebsocket.d.ts" />
import { Client, CallError, type Config } from './multiwebsocket.mjs';

interface Greeting { greeting: string; transport: string }
interface ChatMessage { name: string; text: string; at: string }

const config: Config = { 'service-discovery-url': '/api/discover', 'call-timeout-ms': 5000 };
const client = new Client(config);
client.on('disconnected', (reason) => console.warn('disconnected', reason.data?.closeCode, reason.message));
client.on('gap', ({ topic }) => console.warn(`some messages of ${topic} were missed`));
await client.connect();

// A call: the result's type is yours to name.
const hello = await client.callService<Greeting>('/helloworld/', { name: 'Ada' });
console.log(hello.greeting);

// A stream: items one by one; taken by hand, the last step carries the gateway's answer {items: n}.
for await (const word of client.stream<string>('words', { prefix: 'ab', delayMs: 100 })) {
  console.log(word.toUpperCase());
}
const words = client.stream<string>('words', { prefix: 'ca' }, { timeoutMs: 2000 });
let step = await words.next();
while (!step.done) {
  console.log(step.value);
  step = await words.next();
}
console.log(`${step.value?.items} words`);

// A topic: a callback per message; the returned function unsubscribes.
const unsubscribe = client.subscribe<ChatMessage>('chat', (message, { offset }) => {
  console.log(`#${offset} ${message.name}: ${message.text}`);
}, { history: true });
const { epoch, recovered } = await unsubscribe.subscribed;
console.log(`subscribed (epoch ${epoch}, recovered ${recovered})`);
await client.callService<number>('chat/send', { name: 'Ada', text: 'Hello!' });
await unsubscribe();

// Errors: a CallError with the JSON-RPC code, message and data; name tells timeouts and lost connections apart.
try {
  await client.callService('helloworld', { name: 'x'.repeat(500) }, { timeoutMs: 1000 });
} catch (error) {
  if (error instanceof CallError) {
    console.log(error.name, error.code, error.message, error.data); // ServiceCallError -32602 Invalid params {...}
  }
}
client.close();
