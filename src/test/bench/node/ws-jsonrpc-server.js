'use strict';
// ws with a minimal JSON-RPC 2.0 dispatcher: what a developer writes in ten lines without a framework.
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 8091);
const methods = {
  helloworld: (params) => ({ greeting: `Hello, ${(params && params.name) || 'World'}!`, transport: 'websocket' }),
};
const wss = new WebSocketServer({ host: '127.0.0.1', port });
wss.on('connection', (socket) => socket.on('message', (data) => {
  let request;
  try { request = JSON.parse(data); } catch { return socket.send('{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}'); }
  if (request.id === undefined) return;
  const method = Object.hasOwn(methods, request.method) ? methods[request.method] : null;
  socket.send(JSON.stringify(method ? { jsonrpc: '2.0', result: method(request.params), id: request.id }
    : { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: request.id }));
}));
wss.on('listening', () => console.log(`listening on ${port}`));
