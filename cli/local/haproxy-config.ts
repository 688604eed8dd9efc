/** A namenode as the balancer sees it: where clients go, where its health is checked. */
export interface BalancedNamenode {
  readonly name: string;
  readonly host: string;
  readonly rpcPort: number;
  readonly httpPort: number;
  /** Absent: not behind the gRPC frontend. */
  readonly grpcPort?: number | undefined;
}

export interface HaproxyConfigOptions {
  readonly host: string;
  /** Hadoop IPC frontend (fs.defaultFS points here). */
  readonly rpcPort: number;
  /** HTTP frontend: WebHDFS, /metrics, the web UI. */
  readonly httpPort: number;
  /** gRPC frontend (HTTP/2, plaintext or TLS, passed through as TCP); none when absent. */
  readonly grpcPort?: number | undefined;
  readonly namenodes: readonly BalancedNamenode[];
}

/**
 * haproxy.cfg for the fleet. Every namenode is health-checked through its
 * `/healthz`, also for the IPC backend (`check port` = its HTTP port): a
 * namenode whose process is up but cannot reach its database answers 503
 * there and is taken out, which a plain TCP check would miss.
 * `inter 1s fall 2`: a dead namenode is out within about 2 s.
 * Until then, a connection refused by a namenode that just died is retried
 * on another one (`retries`, `option redispatch 1`), so clients rarely see it.
 * IPC is balanced by least connections because Hadoop clients hold one
 * long-lived connection each; timeouts are long for the same reason.
 */
export function renderHaproxyConfig(opts: HaproxyConfigOptions): string {
  const ipcServers = opts.namenodes.map(
    (nn) => `  server ${nn.name} ${nn.host}:${nn.rpcPort} check port ${nn.httpPort}`,
  );
  const httpServers = opts.namenodes.map((nn) => `  server ${nn.name} ${nn.host}:${nn.httpPort} check`);
  const grpcServers = opts.namenodes.filter((nn) => nn.grpcPort !== undefined).map((nn) => `  server ${nn.name} ${nn.host}:${nn.grpcPort} check port ${nn.httpPort}`);
  return [
    '# Written by nnfleet up; rewritten on every start.',
    'global',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout check 2s',
    '  default-server inter 1s fall 2 rise 2',
    '  retries 2',
    '  option redispatch 1',
    '',
    'frontend hadoop_ipc',
    `  bind ${opts.host}:${opts.rpcPort}`,
    '  default_backend namenodes_ipc',
    '',
    'backend namenodes_ipc',
    '  balance leastconn',
    '  option httpchk GET /healthz',
    ...ipcServers,
    '',
    'frontend namenode_http',
    '  mode http',
    `  bind ${opts.host}:${opts.httpPort}`,
    '  timeout http-request 10s',
    '  default_backend namenodes_http',
    '',
    'backend namenodes_http',
    '  mode http',
    '  balance roundrobin',
    '  option httpchk GET /healthz',
    ...httpServers,
    '',
    ...(opts.grpcPort === undefined
      ? []
      : [
          // gRPC clients hold one HTTP/2 connection each and multiplex calls on it: balanced per connection, as IPC is.
          'frontend namenode_grpc',
          `  bind ${opts.host}:${opts.grpcPort}`,
          '  default_backend namenodes_grpc',
          '',
          'backend namenodes_grpc',
          '  balance leastconn',
          '  option httpchk GET /healthz',
          ...grpcServers,
          '',
        ]),
  ].join('\n');
}
