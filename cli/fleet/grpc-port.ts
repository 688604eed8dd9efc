/** The gRPC port of a namenode (`nnfleet namenode`) and of the fleet's balancer (`nnfleet up`) unless told otherwise. */
export const DEFAULT_GRPC_PORT = 8030;

/** Sets --grpc-port when the flag is not given (tests set 0: any free port, never a fixed one another run holds). */
export const GRPC_PORT_ENV = 'NNFLEET_GRPC_PORT';
