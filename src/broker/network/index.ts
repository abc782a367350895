/**
 * The broker's network layer: what `kq broker` and the API layer (`KafkaApis`) use. Everything else in this
 * folder is internal to the layer.
 */
export { SocketServer, SOCKET_SERVER_DEFAULTS } from './socket-server.js';
export type { SocketServerConfig, SocketServerEvents, SocketServerMetrics } from './socket-server.js';
export { SocketServerBindError } from './acceptor.js';
export type { BoundAddress, AcceptorMetrics } from './acceptor.js';
export type { ApiRequestHandler, KafkaRequestHandlerMetrics } from './kafka-request-handler.js';
export type { Request, Response, RequestChannelMetrics } from './request-channel.js';
export type { PeekedRequestHeader } from './request-header-peek.js';
export type { ConnectionOpenedEvent, ConnectionClosedEvent, ProcessorMetrics } from './processor.js';
