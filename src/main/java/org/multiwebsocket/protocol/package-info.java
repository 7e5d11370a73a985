/**
 * The wire protocol of {@code src/docs/PROTOCOL.md} as plain Java: the JSON-RPC 2.0 codec, requests,
 * responses, errors, service names and trace context. It depends on JSON-P (and JSON-B for binding)
 * only, and is shared by the gateway and the Java client, so that nothing of the contract is written twice.
 */
package org.multiwebsocket.protocol;
