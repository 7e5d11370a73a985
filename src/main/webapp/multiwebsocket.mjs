// The browser client as an ES module: import { Client } from './multiwebsocket.mjs'.
import './multiwebsocket.js';

const MultiWebsocket = globalThis.MultiWebsocket;
export const Client = MultiWebsocket.Client;
export const SUBPROTOCOL = MultiWebsocket.SUBPROTOCOL;
export default MultiWebsocket;
