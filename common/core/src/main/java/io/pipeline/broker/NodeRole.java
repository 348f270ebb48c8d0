package io.pipeline.broker;

/**
 * One live node of a broker cluster as its client sees it, for {@code stack status} and the doctor.
 *
 * @param address host:port clients reach the node at
 * @param role what it does in the cluster, e.g. {@code node 2: controller leader, 7 partition
 *     leaders}
 * @param leaders partitions (internal topics included) this node leads
 * @param underReplicated of those, how many have fewer in-sync replicas than replicas
 */
public record NodeRole(String address, String role, int leaders, int underReplicated) {
  /** A node whose driver counts no partitions. */
  public NodeRole(String address, String role) {
    this(address, role, 0, 0);
  }
}
