package org.voxca.ca;

/**
 * What {@code prune} took out of the CA's CRL: duplicate entries, and entries removed on request.
 */
public record PruneResult(int total, int duplicates, int entries) {}
