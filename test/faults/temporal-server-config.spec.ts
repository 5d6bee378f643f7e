import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderServerConfig, type TemporalServerPorts } from '../../scripts/temporal-server/temporal-server';

/** The parts of go.temporal.io/server@v1.29.1 config/development-postgres12.yaml we rewrite. */
const TEMPLATE = `
log: { stdout: true, level: info }
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
      sql: { pluginName: postgres12, databaseName: temporal, connectAddr: "127.0.0.1:5432", connectProtocol: tcp, user: temporal, password: temporal, maxConns: 20 }
    postgres-visibility:
      sql: { pluginName: postgres12, databaseName: temporal_visibility, connectAddr: "127.0.0.1:5432", connectProtocol: tcp, user: temporal, password: temporal, maxConns: 2 }
global:
  membership: { maxJoinDuration: 30s, broadcastAddress: "127.0.0.1" }
  pprof: { port: 7936 }
  metrics: { prometheus: { framework: tally, listenAddress: "127.0.0.1:8000" } }
services:
  frontend: { rpc: { grpcPort: 7233, membershipPort: 6933, bindOnLocalHost: true, httpPort: 7243 } }
  matching: { rpc: { grpcPort: 7235, membershipPort: 6935, bindOnLocalHost: true } }
  history: { rpc: { grpcPort: 7234, membershipPort: 6934, bindOnLocalHost: true } }
  worker: { rpc: { grpcPort: 7239, membershipPort: 6939, bindOnLocalHost: true } }
clusterMetadata:
  clusterInformation:
    active: { enabled: true, initialFailoverVersion: 1, rpcName: frontend, rpcAddress: "localhost:7233" }
archival: { history: { state: enabled } }
namespaceDefaults: { archival: { history: { state: disabled } } }
dynamicConfigClient: { filepath: config/dynamicconfig/development-sql.yaml, pollInterval: 10s }
`;

const PORTS: TemporalServerPorts = {
  frontend: 21001,
  frontendHttp: 21002,
  frontendMembership: 21003,
  history: 21004,
  historyMembership: 21005,
  matching: 21006,
  matchingMembership: 21007,
  worker: 21008,
  workerMembership: 21009,
};

describe('Temporal Server config (production topology)', () => {
  // Read field by field from the rendered YAML.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const config = parse(renderServerConfig(TEMPLATE, { host: '10.0.0.5', port: 5544, user: 'dh', password: 's3cret' }, { main: 'tmain', visibility: 'tvis' }, PORTS, '/x/dyn.yaml')) as any;

  it('keeps both stores, history and visibility, on PostgreSQL with the postgres12 plugin (SQL advanced visibility)', () => {
    expect(config.persistence.defaultStore).toBe('postgres-default');
    expect(config.persistence.visibilityStore).toBe('postgres-visibility');
    expect(config.persistence.numHistoryShards).toBe(4);
    expect(config.persistence.datastores['postgres-default'].sql).toMatchObject({ pluginName: 'postgres12', databaseName: 'tmain', connectAddr: '10.0.0.5:5544', user: 'dh', password: 's3cret' });
    expect(config.persistence.datastores['postgres-visibility'].sql).toMatchObject({ pluginName: 'postgres12', databaseName: 'tvis', connectAddr: '10.0.0.5:5544', user: 'dh', password: 's3cret' });
  });

  it('listens on the chosen ports only, and points the cluster at its own frontend', () => {
    expect(config.services.frontend.rpc).toEqual({ grpcPort: 21001, membershipPort: 21003, bindOnLocalHost: true, httpPort: 21002 });
    expect(config.services.history.rpc.grpcPort).toBe(21004);
    expect(config.services.matching.rpc.membershipPort).toBe(21007);
    expect(config.services.worker.rpc.grpcPort).toBe(21008);
    expect(config.global.pprof).toBeUndefined();
    expect(config.global.metrics).toBeUndefined();
    expect(config.clusterMetadata.clusterInformation.active.rpcAddress).toBe('127.0.0.1:21001');
    expect(config.dynamicConfigClient.filepath).toBe('/x/dyn.yaml');
    expect(config.archival).toBeUndefined();
  });
});
