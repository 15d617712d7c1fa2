/**
 * The built-in catalogue of sensitive endpoints: one row per kind of service, with the reason
 * the message gives and where the danger is documented. It is data: the rules' default
 * options (`ports`, `images`) are derived from it, and a configuration replaces or extends them.
 *
 * A row names the service by port (`ports`: that port is sensitive on any service), by image
 * (`images`: a service running that image), or both. For an image, `imagePorts` lists the
 * container ports that are sensitive; without it every port the image's service publishes is,
 * because datastores and brokers are often moved to other ports and each of their ports gives
 * data or control away.
 */
export interface CatalogueRow {
  name: string;
  /** Why it must not be reachable from other hosts, as the message says it. */
  reason: string;
  ports?: number[];
  /** Image names (the last part of the repository: `mariadb`), or repository tails (`mssql/server`). */
  images?: string[];
  imagePorts?: number[];
  sources: string[];
}

export const SENSITIVE_CATALOGUE: readonly CatalogueRow[] = [
  // Remote shells and the Docker API
  { name: 'SSH', reason: 'remote logins, password-guessed around the clock', ports: [22], sources: ['https://www.cisecurity.org/benchmark/docker'] },
  { name: 'Telnet', reason: 'remote logins in clear text', ports: [23], sources: ['https://www.cisecurity.org/benchmark/docker'] },
  { name: 'Docker Engine API', reason: 'root on the host to anyone who connects', ports: [2375], sources: ['https://docs.docker.com/engine/security/protect-access/'] },
  { name: 'Docker Engine API (TLS)', reason: 'root on the host to any client the engine accepts', ports: [2376], sources: ['https://docs.docker.com/engine/security/protect-access/'] },
  // Datastores and brokers
  { name: 'Microsoft SQL Server', reason: 'a database, scanned for weak sa passwords', ports: [1433], images: ['mssql/server', 'azure-sql-edge'], sources: ['https://learn.microsoft.com/en-us/sql/linux/quickstart-install-connect-docker'] },
  { name: 'etcd', reason: 'cluster state and secrets, no authentication by default', ports: [2379], images: ['etcd'], sources: ['https://etcd.io/docs/latest/op-guide/security/'] },
  {
    name: 'MySQL/MariaDB',
    reason: 'a database, scanned for weak and default passwords',
    ports: [3306],
    images: ['mysql', 'mysql-server', 'mariadb', 'percona', 'percona-server', 'alpine-mariadb'],
    sources: ['https://hub.docker.com/_/mariadb', 'https://dev.mysql.com/doc/refman/8.4/en/security-guidelines.html'],
  },
  {
    name: 'PostgreSQL',
    reason: 'a database, scanned for weak and default passwords',
    ports: [5432],
    images: ['postgres', 'postgresql', 'postgis', 'timescaledb', 'timescaledb-ha', 'pgvector', 'supabase/postgres'],
    sources: ['https://hub.docker.com/_/postgres', 'https://www.postgresql.org/docs/current/auth-pg-hba-conf.html'],
  },
  { name: 'CouchDB', reason: 'a database with an admin HTTP API', ports: [5984], images: ['couchdb'], sources: ['https://docs.couchdb.org/en/stable/intro/security.html'] },
  {
    name: 'Redis',
    reason: 'a database with no password by default, and a known path to code execution',
    ports: [6379],
    images: ['redis', 'redis-stack', 'redis-stack-server', 'valkey', 'keydb', 'dragonfly'],
    sources: ['https://redis.io/docs/latest/operate/oss_and_stack/management/security/'],
  },
  { name: 'InfluxDB', reason: 'a time-series database with an HTTP API', ports: [8086], images: ['influxdb'], sources: ['https://docs.influxdata.com/influxdb/v2/security/'] },
  {
    name: 'Elasticsearch',
    reason: 'a search database, open to anyone where security is turned off',
    ports: [9200],
    images: ['elasticsearch', 'opensearch'],
    sources: ['https://www.elastic.co/guide/en/elasticsearch/reference/current/security-minimal-setup.html'],
  },
  { name: 'Elasticsearch transport', reason: 'the cluster transport: joins and reads the cluster', ports: [9300], sources: ['https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-network.html'] },
  { name: 'memcached', reason: 'a cache with no authentication, and a UDP amplifier', ports: [11211], images: ['memcached'], sources: ['https://github.com/memcached/memcached/wiki/SASLHowto'] },
  { name: 'MongoDB', reason: 'a database with no authentication by default', ports: [27017], images: ['mongo', 'mongodb', 'mongodb-community-server'], sources: ['https://www.mongodb.com/docs/manual/administration/security-checklist/'] },
  { name: 'ClickHouse', reason: 'a database whose default user has no password', images: ['clickhouse', 'clickhouse-server'], sources: ['https://clickhouse.com/docs/operations/settings/settings-users'] },
  { name: 'MinIO', reason: 'object storage, often left with the minioadmin default credentials', images: ['minio'], sources: ['https://min.io/docs/minio/linux/reference/minio-server/settings/root-credentials.html'] },
  { name: 'RabbitMQ', reason: 'a message broker and its management API', images: ['rabbitmq'], sources: ['https://www.rabbitmq.com/docs/access-control'] },
  { name: 'ZooKeeper', reason: 'cluster coordination with no authentication by default', images: ['zookeeper', 'cp-zookeeper'], sources: ['https://zookeeper.apache.org/doc/current/zookeeperAdmin.html'] },
  { name: 'Kafka', reason: 'a message broker with no authentication by default', images: ['kafka', 'cp-kafka', 'cp-server', 'redpanda'], sources: ['https://kafka.apache.org/documentation/#security'] },
  // Admin and code-execution endpoints
  {
    name: 'Kafka Connect',
    reason: 'its REST API creates connectors that run code, with no authentication by default',
    images: ['cp-kafka-connect', 'cp-server-connect', 'kafka-connect', 'debezium/connect'],
    sources: ['https://docs.confluent.io/platform/current/connect/security.html', 'https://nvd.nist.gov/vuln/detail/CVE-2023-25194'],
  },
  {
    name: 'Kong Admin API',
    reason: 'reconfigures every route of the gateway, with no authentication by default',
    images: ['kong', 'kong-gateway'],
    imagePorts: [8001, 8444],
    sources: ['https://docs.konghq.com/gateway/latest/production/running-kong/secure-admin-api/'],
  },
  { name: 'Java RMI/JMX', reason: 'remote management that runs code when it is not authenticated', ports: [1099], sources: ['https://docs.oracle.com/en/java/javase/21/management/monitoring-and-management-using-jmx-technology.html'] },
  {
    name: 'JMX',
    reason: 'remote management that runs code when it is not authenticated',
    images: ['cp-kafka', 'cp-server', 'cp-zookeeper', 'cp-kafka-connect', 'cp-schema-registry', 'kafka'],
    imagePorts: [9101],
    sources: ['https://docs.confluent.io/platform/current/installation/docker/operations/monitoring.html'],
  },
  { name: 'Ory Kratos admin API', reason: 'manages every identity and session, with no authentication', ports: [4434], sources: ['https://www.ory.sh/docs/kratos/guides/production'] },
  { name: 'Flink', reason: 'its REST API submits jobs, which run any code', images: ['flink'], sources: ['https://nightlies.apache.org/flink/flink-docs-stable/docs/deployment/security/security-ssl/'] },
  // Debuggers and profilers
  { name: 'Delve debugger', reason: 'a Go debugger: runs any code in the process', ports: [2345, 40000], sources: ['https://github.com/go-delve/delve/blob/master/Documentation/usage/dlv.md'] },
  { name: 'Go pprof', reason: 'profiles, goroutine dumps and the command line of the process to anyone', ports: [6060], sources: ['https://pkg.go.dev/net/http/pprof'] },
  { name: 'debugpy', reason: 'a Python debugger: runs any code in the process', ports: [5678], sources: ['https://github.com/microsoft/debugpy'] },
  { name: 'Node.js inspector', reason: 'a debugger: runs any code in the process', ports: [9229], sources: ['https://nodejs.org/en/learn/getting-started/security-best-practices'] },
];
