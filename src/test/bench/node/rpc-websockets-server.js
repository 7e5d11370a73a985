'use strict';
// The rpc-websockets peer: its Server with one method, helloworld, answering like the gateway's.
const { Server } = require('rpc-websockets');

const port = Number(process.argv[2] || 8090);
const server = new Server({ host: '127.0.0.1', port });
server.register('helloworld', (params) => ({
  greeting: `Hello, ${(params && params.name) || 'World'}!`,
  transport: 'websocket',
}));
server.on('listening', () => console.log(`listening on ${port}`));
