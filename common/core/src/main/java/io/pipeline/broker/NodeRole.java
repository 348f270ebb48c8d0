package io.pipeline.broker;

/**
 * One live node of a broker cluster as its client sees it, for {@code stack status} and the doctor.
 *
 * @param address host:port clients reach the node at
 * @param role what it does in the cluster, e.g. {@code node 2: controller leader, 7 partition
 *     leaders}
 */
public record NodeRole(String address, String role) {}
