'use strict';
// The Node.js floor: ws echoing every frame as it came.
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 8092);
const wss = new WebSocketServer({ host: '127.0.0.1', port });
wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
wss.on('listening', () => console.log(`listening on ${port}`));
